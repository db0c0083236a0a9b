// A FHIR resource as a table of its paths and values: the fallback for a resource type without
// a readable card. Attachment data (base64) is left out.
import { Table } from 'react-bootstrap';

export default function ResourceTable({ resource }) {
  const rows = [];
  const walk = (value, path) => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object') {
      rows.push([path, String(value)]);
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(resource, '');
  return (
    <Table size="sm" bordered responsive className="small">
      <tbody>
        {rows.filter(([k]) => !k.endsWith('.data')).map(([k, v]) => (
          <tr key={k}><th scope="row" className="text-nowrap">{k}</th><td>{v}</td></tr>
        ))}
      </tbody>
    </Table>
  );
}
