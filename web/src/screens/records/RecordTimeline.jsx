// A patient's records, newest first. Each version's encrypted summary (docs/format.md, "Record
// summaries") is opened here with the caller's own keys, listed inline by the node, so the title,
// date and kind show and the search, kind and date filters run in the browser: the node never
// learns them. Each record opens in RecordViewer. The emergency summary is not listed: it has
// its own screen (the patient's) and panel (the doctor's).
import { useState } from 'react';
import { Badge, Button, Card, Col, Form, Row } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { CATEGORIES, categoryLabel } from '../../chain/scopes.js';
import { Address, ErrorAlert, Loading } from '../../components/common.jsx';
import { formatBytes, formatTime, shortHash } from '../../util/format.js';
import { matchesFilters, openListedSummaries } from '../../state/summaries.js';
import { emergencySummaryRecordId } from '../../state/emergencySummary.js';
import RecordViewer from './RecordViewer.jsx';
import { T, t } from '../../i18n/index.js';

// Summaries opened once per session and version: the keys come inline (?include=keys) only for
// versions not opened yet, since every key served is audited and an audit entry reaches the
// patient's live feed, which reloads this list.
const opened = new Map();

// Forgets the summaries that did not open, so that the next load tries them again: after a
// restore of a recovered account the copies they need open with the account's key.
export function forgetRefusedSummaries() {
  for (const [id, summary] of opened) if (summary?.error) opened.delete(id);
}

async function cachedSummaries(api, patient, records, keyPair) {
  const id = (r, v) => `${r.recordId}/${v.version}/${v.summary}`;
  const missing = (records ?? []).some((r) => r.versions.some((v) => v.summary && !opened.has(id(r, v))));
  if (keyPair && missing) {
    const keyed = await api.get(`/v1/patients/${patient}/records?include=keys`);
    const fresh = await openListedSummaries(keyed.records, keyPair);
    for (const r of keyed.records) for (const v of r.versions) if (fresh[`${r.recordId}/${v.version}`]) opened.set(id(r, v), fresh[`${r.recordId}/${v.version}`]);
  }
  const out = {};
  for (const r of records ?? []) for (const v of r.versions) if (opened.has(id(r, v))) out[`${r.recordId}/${v.version}`] = opened.get(id(r, v));
  return out;
}

export default function RecordTimeline({ patient, emptyText = t('records.timeline.empty'), canUpdate = false, canCorrectCategory = false }) {
  const { api, encryptionKey, unlockEncryptionKey } = useSession();
  const [unlockError, setUnlockError] = useState(null);
  const [filter, setFilter] = useState('');
  const [search, setSearch] = useState({ search: '', kind: '', from: '', to: '' });
  const [open, setOpen] = useState(null);
  const { data, error, loading, reload } = useLoad(async () => {
    const listing = await api.get(`/v1/patients/${patient}/records`);
    return { ...listing, summaries: await cachedSummaries(api, patient, listing.records, encryptionKey) };
  }, [patient, encryptionKey]);
  const summaries = data?.summaries ?? {};
  const summaryId = emergencySummaryRecordId(patient);
  const all = (data?.records ?? [])
    .filter((r) => r.versions.length && r.recordId.toLowerCase() !== summaryId)
    .map((r) => {
      const latest = r.versions[r.versions.length - 1];
      return { ...r, latest, opened: summaries[`${r.recordId}/${latest.version}`], summaries };
    });
  const kinds = [...new Set(all.map((r) => r.opened?.summary?.kind).filter(Boolean))].sort();
  const records = all
    .filter((r) => !filter || r.latest.category === filter)
    .filter((r) => matchesFilters(r.opened?.summary, search))
    .sort((a, b) => b.latest.blockNumber - a.latest.blockNumber);
  const set = (name) => (e) => setSearch((s) => ({ ...s, [name]: e.target.value }));
  const locked = !encryptionKey && all.some((r) => r.versions.some((v) => v.summary));
  const filtered = filter || search.search || search.kind || search.from || search.to;
  return (
    <>
      <Row className="mb-3 g-2" as="fieldset" aria-label={t('records.timeline.find')}>
        <Col md={3}>
          <Form.Group controlId={`filter-${patient}`}>
            <Form.Label>{t('records.timeline.category')}</Form.Label>
            <Form.Select value={filter} onChange={(e) => setFilter(e.target.value)}>
              <option value="">{t('records.timeline.allCategories')}</option>
              {CATEGORIES.map((c) => <option key={c.name} value={c.name}>{categoryLabel(c.name)}</option>)}
            </Form.Select>
          </Form.Group>
        </Col>
        <Col md={3}>
          <Form.Group controlId={`search-${patient}`}>
            <Form.Label>{t('records.timeline.search')}</Form.Label>
            <Form.Control type="search" value={search.search} onChange={set('search')} placeholder={t('records.timeline.searchExample')} />
          </Form.Group>
        </Col>
        <Col md={2}>
          <Form.Group controlId={`kind-${patient}`}>
            <Form.Label>{t('records.timeline.kind')}</Form.Label>
            <Form.Select value={search.kind} onChange={set('kind')}>
              <option value="">{t('records.timeline.allKinds')}</option>
              {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
            </Form.Select>
          </Form.Group>
        </Col>
        <Col md={2}>
          <Form.Group controlId={`from-${patient}`}>
            <Form.Label>{t('records.timeline.from')}</Form.Label>
            <Form.Control type="date" value={search.from} onChange={set('from')} />
          </Form.Group>
        </Col>
        <Col md={2}>
          <Form.Group controlId={`to-${patient}`}>
            <Form.Label>{t('records.timeline.until')}</Form.Label>
            <Form.Control type="date" value={search.to} onChange={set('to')} />
          </Form.Group>
        </Col>
      </Row>
      <ErrorAlert error={error || unlockError} />
      {locked && (
        <p className="small">
          {t('records.timeline.locked')}{' '}
          <Button size="sm" variant="outline-primary" onClick={() => unlockEncryptionKey().catch(setUnlockError)}>{t('records.timeline.showTitles')}</Button>
        </p>
      )}
      {loading && !data && <Loading what={t('records.timeline.loading')} />}
      {data && records.length === 0 && <p className="text-secondary">{filtered ? t('records.timeline.noMatch') : emptyText}</p>}
      <div className="timeline" role="list" aria-label={t('records.timeline.records')}>
        {records.map((r) => {
          const s = r.opened?.summary;
          const category = categoryLabel(r.latest.category);
          const name = s ? t('records.timeline.name.titled', { category, title: s.title }) : t('records.timeline.name.untitled', { category, block: r.latest.blockNumber });
          return (
            <Card key={r.recordId} className="mb-2 timeline-item" role="listitem">
              <Card.Body className="d-flex flex-wrap align-items-center gap-2 py-2">
                <Badge bg="info" text="dark">{category}</Badge>
                {s && <strong className="record-title">{s.title}</strong>}
                {s?.date && <span className="small record-date">{s.date.slice(0, 10)}</span>}
                {s && <span className="small text-secondary record-kind">{s.kind}</span>}
                {r.opened?.error && <span className="small text-danger">{t('records.timeline.summaryRefused', { error: r.opened.error })}</span>}
                <span className="small">
                  <T
                    id={s?.authorName ? 'records.timeline.bylineNamed' : 'records.timeline.byline'}
                    values={{ version: r.latest.version, name: s?.authorName, author: <Address value={r.latest.author} label={t('records.common.author')} />, size: formatBytes(r.latest.size) }}
                  />
                </span>
                <span className="small text-secondary" title={t('records.timeline.blockAndDigest', { block: r.latest.blockNumber, digest: r.latest.digest })}>
                  {t('records.common.recorded', { time: formatTime(r.latest.blockTime) })}
                </span>
                <span className="visually-hidden">{t('records.common.digest', { digest: shortHash(r.latest.digest) })}</span>
                <Button size="sm" className="ms-auto" onClick={() => setOpen(r)} aria-label={t('records.timeline.openNamed', { name })}>
                  {t('records.timeline.open')}
                </Button>
              </Card.Body>
            </Card>
          );
        })}
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
