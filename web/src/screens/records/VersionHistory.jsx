// The versions of a record, oldest first, each openable in the viewer, with who signed each one's
// category as the chain lets the app check it; and, for whoever may write to the record, the form
// that adds the next version under a new content key. The open version can be compared with the
// one before it (VersionCompare).
import { useState } from 'react';
import { Button, Card, ListGroup } from 'react-bootstrap';
import { categoryLabel } from '../../chain/scopes.js';
import { Address } from '../../components/common.jsx';
import { useLoad, useSession } from '../../state/session.jsx';
import { categoryStatedBy, requireChain } from '../../chain/verify.js';
import { formatBytes, formatTime, shortHash } from '../../util/format.js';
import AddRecordForm from './AddRecordForm.jsx';
import VersionCompare from './VersionCompare.jsx';

const STATED_BY = { patient: 'category signed by the patient', author: 'category signed by its author', guardian: 'category signed by a guardian' };
const statementText = (stated) => (stated ? STATED_BY[stated.by] : 'category not signed by its author or the patient');

export default function VersionHistory({ record, selected, onSelect, canUpdate, onUpdated, opened }) {
  const { ctx } = useSession();
  // The summaries the timeline opened (record.summaries, by `${recordId}/${version}`), if any.
  const summaryOf = (v) => record.summaries?.[`${record.recordId}/${v.version}`]?.summary;
  const [adding, setAdding] = useState(false);
  // Which version's comparison is shown: it closes when another version is opened.
  const [comparing, setComparing] = useState(null);
  const open = record.versions.find((v) => v.version === selected);
  const stated = useLoad(async () => {
    const chain = requireChain(ctx); // without a chain nothing is shown: the viewer says why
    return Promise.all(record.versions.map((v) => categoryStatedBy(chain, record.patient, record.recordId, v)));
  }, [record]);
  return (
    <section aria-labelledby="version-history" className="mt-3 d-print-none">
      <h3 id="version-history" className="fs-6">Version history</h3>
      <ListGroup aria-label="Versions" className="mb-2">
        {record.versions.map((v, i) => (
          <ListGroup.Item
            key={v.version}
            action
            active={v.version === selected}
            aria-current={v.version === selected ? 'true' : undefined}
            onClick={() => onSelect(v.version)}
            className="small d-flex flex-wrap gap-2"
          >
            <span className="visually-hidden">Open version {v.version}:</span>
            <strong>v{v.version}</strong>
            {summaryOf(v)?.title && <span className="fw-semibold">{summaryOf(v).title}</span>}
            {summaryOf(v)?.date && <span>{summaryOf(v).date.slice(0, 10)}</span>}
            {summaryOf(v)?.kind && <span>{summaryOf(v).kind}</span>}
            <span title={`block ${v.blockNumber}`}>recorded {formatTime(v.blockTime)}</span>
            <span>{categoryLabel(v.category)}</span>
            {stated.data?.length === record.versions.length && <span className={stated.data[i] ? '' : 'fw-semibold'}>{statementText(stated.data[i])}</span>}
            <span>by {summaryOf(v)?.authorName ? `${summaryOf(v).authorName} ` : ''}<Address value={v.author} label="author" copyable={false} /></span>
            <span>{formatBytes(v.size)}</span>
            <span className="d-none d-md-inline" title={`digest ${v.digest}`}>digest {shortHash(v.digest)}</span>
          </ListGroup.Item>
        ))}
      </ListGroup>
      {open && open.version > 1 && (
        <div className="mb-2 d-print-none">
          <Button size="sm" variant="outline-secondary" aria-expanded={comparing === open.version} disabled={!opened} onClick={() => setComparing(comparing === open.version ? null : open.version)}>
            {comparing === open.version ? 'Hide the changes' : `Compare with version ${open.version - 1}`}
          </Button>
        </div>
      )}
      {open && opened && comparing === open.version && <VersionCompare record={record} version={open} opened={opened} />}
      {canUpdate && !adding && (
        <Button size="sm" variant="outline-primary" onClick={() => setAdding(true)}>Add a new version…</Button>
      )}
      {canUpdate && adding && (
        <Card>
          <Card.Body>
            <Card.Title as="h3" className="fs-6">Version {record.versions.length + 1}</Card.Title>
            <AddRecordForm
              patient={record.patient}
              record={record}
              onAdded={(result) => {
                setAdding(false);
                onUpdated(result);
              }}
            />
          </Card.Body>
        </Card>
      )}
    </section>
  );
}
