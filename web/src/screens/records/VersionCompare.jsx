// What changed between a version and the one before it: the earlier version is opened here (key,
// digest and author checked against the chain, as any version is) and its FHIR resource compared
// field by field with the open one's (clinical/diff.js).
import { useEffect, useState } from 'react';
import { Badge, Table } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { openRecord } from '../../state/actions.js';
import { diffResources, diffValueText } from '../../clinical/diff.js';
import { ErrorAlert, Loading } from '../../components/common.jsx';
import { formatBytes } from '../../util/format.js';
import { t } from '../../i18n/index.js';

// A change's badge colour; its word is records.compare.kind.<kind>.
const KIND_STYLE = { added: 'success', removed: 'danger', changed: 'primary' };
const attachmentText = (a) => (a ? t('records.compare.attachment.file', { title: a.title, type: a.contentType, size: formatBytes(a.size) }) : t('records.compare.attachment.none'));

export default function VersionCompare({ record, version, opened }) {
  const { ctx, unlockEncryptionKey } = useSession();
  const previous = record.versions.find((v) => v.version === version.version - 1);
  const [earlier, setEarlier] = useState({ loading: true });
  // Opened once per pair, as the viewer opens a version: not useLoad, whose refetch on every feed
  // message would open it again on the audit entry that opening it writes.
  useEffect(() => {
    let live = true;
    setEarlier({ loading: true });
    (async () => {
      const encryptionKey = ctx.encryptionKey ?? (await unlockEncryptionKey());
      return openRecord({ ...ctx, encryptionKey }, { recordId: record.recordId, version: previous });
    })().then((data) => live && setEarlier({ data }), (error) => live && setEarlier({ error: error.message }));
    return () => {
      live = false;
    };
  }, [record.recordId, previous.version]);
  const heading = t('records.compare.heading', { from: previous.version, to: version.version });
  if (earlier.loading) return <Loading what={t('records.compare.opening', { version: previous.version })} />;
  if (earlier.error) return <ErrorAlert error={t('records.compare.failed', { version: previous.version, error: earlier.error })} />;
  const changes = diffResources(earlier.data.manifest.resource, opened.manifest.resource);
  const before = earlier.data.manifest.attachment;
  const after = opened.manifest.attachment;
  const attachmentChanged = attachmentText(before) !== attachmentText(after);
  return (
    <section aria-labelledby="version-changes" className="mb-3 version-compare">
      <h3 id="version-changes" className="fs-6">{heading}</h3>
      {changes.length === 0 ? (
        <p className="small">{t('records.compare.same')}</p>
      ) : (
        <Table size="sm" bordered responsive className="small">
          <caption className="caption-top">{t('records.compare.count', { count: changes.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('records.compare.column.field')}</th>
              <th scope="col">{t('records.compare.column.change')}</th>
              <th scope="col">{t('records.compare.column.version', { version: previous.version })}</th>
              <th scope="col">{t('records.compare.column.version', { version: version.version })}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.path} data-kind={c.kind}>
                <th scope="row" title={c.path}>{c.label}</th>
                <td><Badge bg={KIND_STYLE[c.kind]}>{t(`records.compare.kind.${c.kind}`)}</Badge></td>
                <td>{c.kind === 'added' ? <span className="text-secondary">—</span> : <del>{diffValueText(c.before)}</del>}</td>
                <td>{c.kind === 'removed' ? <span className="text-secondary">—</span> : <ins>{diffValueText(c.after)}</ins>}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {attachmentChanged && (
        <p className="small">{t('records.compare.attachment.changed', { before: attachmentText(before), after: attachmentText(after) })}</p>
      )}
    </section>
  );
}
