// A FHIR resource as a clinician reads it: a card per resource type (clinical/summary.js says
// what each shows), the table of paths for a type without one, and the raw JSON on request.
import { useId, useState } from 'react';
import { Badge, Button, Card, Table } from 'react-bootstrap';
import { summarize } from '../../clinical/summary.js';
import { t } from '../../i18n/index.js';
import ResourceTable from './ResourceTable.jsx';

// Critical red, high/low amber, normal green; the text always says which (not colour alone).
const FLAG_STYLE = { critical: { bg: 'danger' }, abnormal: { bg: 'warning', text: 'dark' }, normal: { bg: 'success' }, unknown: { bg: 'secondary' } };

export function FlagBadge({ flag }) {
  if (!flag) return null;
  const style = FLAG_STYLE[flag.level] ?? FLAG_STYLE.unknown;
  const from = t(flag.source === 'range' ? 'records.card.flag.fromRange' : 'records.card.flag.fromLab');
  return (
    <Badge bg={style.bg} text={style.text} className="flag-badge" title={from} data-flag={flag.code}>
      {flag.code !== '?' && flag.code !== flag.label ? t('records.card.flag.withCode', { label: flag.label, code: flag.code }) : flag.label}
      <span className="visually-hidden">{t('records.card.flag.source', { source: from })}</span>
    </Badge>
  );
}

function SummaryTable({ table }) {
  const flagged = table.rows.some((r) => r.flag !== undefined);
  return (
    <Table size="sm" bordered responsive className="small mb-0">
      <caption className="caption-top fw-semibold text-body">{table.caption}</caption>
      <thead><tr>{table.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
      <tbody>
        {table.rows.map((row, i) => (
          <tr key={i}>
            {row.cells.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
            {flagged && <td>{row.flag ? <FlagBadge flag={row.flag} /> : '—'}</td>}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export default function ClinicalCard({ resource }) {
  const [showJson, setShowJson] = useState(false);
  const jsonId = `fhir-json-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const card = summarize(resource);
  return (
    <section aria-label={t('records.card.contents')} className="mb-3">
      {card ? (
        <Card className="clinical-card" data-resource-type={card.kind}>
          <Card.Body>
            <Card.Title as="h3" className="fs-5 mb-1">{card.title}</Card.Title>
            <Card.Subtitle className="small text-secondary mb-2">{card.kind}</Card.Subtitle>
            {card.value !== undefined && card.value !== null && (
              <p className="fs-4 mb-2">
                <span className="fw-semibold observation-value">{card.value}</span> <FlagBadge flag={card.flag} />
              </p>
            )}
            {card.value == null && card.flag && <p><FlagBadge flag={card.flag} /></p>}
            {card.fields.length > 0 && (
              <Table size="sm" borderless className="small mb-2 clinical-fields">
                <tbody>
                  {card.fields.map(([label, value]) => (
                    <tr key={label}><th scope="row" className="text-nowrap fw-semibold pe-3" style={{ width: '1%' }}>{label}</th><td>{value}</td></tr>
                  ))}
                </tbody>
              </Table>
            )}
            {card.table && <SummaryTable table={card.table} />}
          </Card.Body>
        </Card>
      ) : (
        <ResourceTable resource={resource} />
      )}
      <Button size="sm" variant="link" className="px-0 d-print-none" aria-expanded={showJson} aria-controls={jsonId} onClick={() => setShowJson(!showJson)}>
        {t(showJson ? 'records.card.json.hide' : 'records.card.json.show')}
      </Button>
      {showJson && (
        <pre id={jsonId} className="bg-light border rounded p-2 small fhir-json" tabIndex={0} aria-label={t('records.card.json.label')}>
          {JSON.stringify(resource, null, 2)}
        </pre>
      )}
    </section>
  );
}
