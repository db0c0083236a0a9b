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

const KIND = { added: { bg: 'success', text: 'added' }, removed: { bg: 'danger', text: 'removed' }, changed: { bg: 'primary', text: 'changed' } };
const attachmentText = (a) => (a ? `${a.title} (${a.contentType}, ${formatBytes(a.size)})` : 'none');

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
  const heading = `Changes from version ${previous.version} to version ${version.version}`;
  if (earlier.loading) return <Loading what={`Opening version ${previous.version} to compare`} />;
  if (earlier.error) return <ErrorAlert error={`Version ${previous.version} cannot be compared: ${earlier.error}`} />;
  const changes = diffResources(earlier.data.manifest.resource, opened.manifest.resource);
  const before = earlier.data.manifest.attachment;
  const after = opened.manifest.attachment;
  const attachmentChanged = attachmentText(before) !== attachmentText(after);
  return (
    <section aria-labelledby="version-changes" className="mb-3 version-compare">
      <h3 id="version-changes" className="fs-6">{heading}</h3>
      {changes.length === 0 ? (
        <p className="small">The FHIR resource is the same in both versions.</p>
      ) : (
        <Table size="sm" bordered responsive className="small">
          <caption className="caption-top">{changes.length} {changes.length === 1 ? 'field' : 'fields'} changed</caption>
          <thead>
            <tr><th scope="col">Field</th><th scope="col">Change</th><th scope="col">Version {previous.version}</th><th scope="col">Version {version.version}</th></tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.path} data-kind={c.kind}>
                <th scope="row" title={c.path}>{c.label}</th>
                <td><Badge bg={KIND[c.kind].bg}>{KIND[c.kind].text}</Badge></td>
                <td>{c.kind === 'added' ? <span className="text-secondary">—</span> : <del>{diffValueText(c.before)}</del>}</td>
                <td>{c.kind === 'removed' ? <span className="text-secondary">—</span> : <ins>{diffValueText(c.after)}</ins>}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {attachmentChanged && (
        <p className="small">Attachment: {attachmentText(before)} → {attachmentText(after)}</p>
      )}
    </section>
  );
}
