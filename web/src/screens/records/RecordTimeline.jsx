// A patient's records, newest first, filterable by category; each opens in RecordViewer.
import { useState } from 'react';
import { Badge, Button, Card, Form } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { CATEGORIES, categoryLabel } from '../../chain/scopes.js';
import { Address, ErrorAlert, Loading } from '../../components/common.jsx';
import { formatBytes, shortHash } from '../../util/format.js';
import RecordViewer from './RecordViewer.jsx';

export default function RecordTimeline({ patient, emptyText = 'No records yet.', canUpdate = false, canCorrectCategory = false }) {
  const { api } = useSession();
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState(null);
  const { data, error, loading, reload } = useLoad(() => api.get(`/v1/patients/${patient}/records`), [patient]);
  const records = (data?.records ?? [])
    .filter((r) => r.versions.length)
    .map((r) => ({ ...r, latest: r.versions[r.versions.length - 1] }))
    .filter((r) => !filter || r.latest.category === filter)
    .sort((a, b) => b.latest.blockNumber - a.latest.blockNumber);
  return (
    <>
      <Form.Group className="mb-3" controlId={`filter-${patient}`} style={{ maxWidth: 320 }}>
        <Form.Label>Category</Form.Label>
        <Form.Select value={filter} onChange={(e) => setFilter(e.target.value)}>
          <option value="">All categories</option>
          {CATEGORIES.map((c) => <option key={c.name} value={c.name}>{c.label}</option>)}
        </Form.Select>
      </Form.Group>
      <ErrorAlert error={error} />
      {loading && !data && <Loading what="Loading records" />}
      {data && records.length === 0 && <p className="text-secondary">{filter ? 'No records in this category.' : emptyText}</p>}
      <div className="timeline" role="list" aria-label="Records">
        {records.map((r) => (
          <Card key={r.recordId} className="mb-2 timeline-item" role="listitem">
            <Card.Body className="d-flex flex-wrap align-items-center gap-2 py-2">
              <Badge bg="info" text="dark">{categoryLabel(r.latest.category)}</Badge>
              <span className="small">
                block {r.latest.blockNumber} · v{r.latest.version} · by <Address value={r.latest.author} label="author" /> · {formatBytes(r.latest.size)}
              </span>
              <span className="small text-secondary d-none d-md-inline">digest {shortHash(r.latest.digest)}</span>
              <Button size="sm" className="ms-auto" onClick={() => setOpen(r)} aria-label={`Open ${categoryLabel(r.latest.category)} record from block ${r.latest.blockNumber}`}>
                Open
              </Button>
            </Card.Body>
          </Card>
        ))}
      </div>
      {open && (
        <RecordViewer
          record={open}
          canUpdate={canUpdate}
          canCorrectCategory={canCorrectCategory}
          onClose={() => {
            setOpen(null);
            reload(); // a version added or a category changed in the viewer
          }}
        />
      )}
    </>
  );
}
