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
import { T, t } from '../../i18n/index.js';

// Who signed a version's category (patient, author or guardian), in words.
const statementText = (stated) => (stated ? t(`records.history.statedBy.${stated.by}`) : t('records.history.notStated'));

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
      <h3 id="version-history" className="fs-6">{t('records.history.heading')}</h3>
      <ListGroup aria-label={t('records.history.versions')} className="mb-2">
        {record.versions.map((v, i) => (
          <ListGroup.Item
            key={v.version}
            action
            active={v.version === selected}
            aria-current={v.version === selected ? 'true' : undefined}
            onClick={() => onSelect(v.version)}
            className="small d-flex flex-wrap gap-2"
          >
            <span className="visually-hidden">{t('records.history.open', { version: v.version })}</span>
            <strong>{t('records.history.short', { version: v.version })}</strong>
            {summaryOf(v)?.title && <span className="fw-semibold">{summaryOf(v).title}</span>}
            {summaryOf(v)?.date && <span>{summaryOf(v).date.slice(0, 10)}</span>}
            {summaryOf(v)?.kind && <span>{summaryOf(v).kind}</span>}
            <span title={t('records.history.block', { block: v.blockNumber })}>{t('records.common.recorded', { time: formatTime(v.blockTime) })}</span>
            <span>{categoryLabel(v.category)}</span>
            {stated.data?.length === record.versions.length && <span className={stated.data[i] ? '' : 'fw-semibold'}>{statementText(stated.data[i])}</span>}
            <span>
              <T
                id={summaryOf(v)?.authorName ? 'records.history.byNamed' : 'records.history.by'}
                values={{ name: summaryOf(v)?.authorName, author: <Address value={v.author} label={t('records.common.author')} copyable={false} /> }}
              />
            </span>
            <span>{formatBytes(v.size)}</span>
            <span className="d-none d-md-inline" title={t('records.common.digest', { digest: v.digest })}>{t('records.common.digest', { digest: shortHash(v.digest) })}</span>
          </ListGroup.Item>
        ))}
      </ListGroup>
      {open && open.version > 1 && (
        <div className="mb-2 d-print-none">
          <Button size="sm" variant="outline-secondary" aria-expanded={comparing === open.version} disabled={!opened} onClick={() => setComparing(comparing === open.version ? null : open.version)}>
            {comparing === open.version ? t('records.history.hideChanges') : t('records.history.compare', { version: open.version - 1 })}
          </Button>
        </div>
      )}
      {open && opened && comparing === open.version && <VersionCompare record={record} version={open} opened={opened} />}
      {canUpdate && !adding && (
        <Button size="sm" variant="outline-primary" onClick={() => setAdding(true)}>{t('records.history.addVersion')}</Button>
      )}
      {canUpdate && adding && (
        <Card>
          <Card.Body>
            <Card.Title as="h3" className="fs-6">{t('records.history.newVersion', { version: record.versions.length + 1 })}</Card.Title>
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
