// A record decrypted in the browser: the FHIR resource as a readable card (ClinicalCard), the
// attachment (passive images shown, anything that can carry script download-only:
// util/attachments.js), a download of the plaintext, printing (app.css's print rules show this
// dialog only), and the version history (any version opens here, and compares with the one
// before it).
import { useEffect, useState } from 'react';
import { getAddress } from 'ethers';
import { Alert, Badge, Button, Modal, ProgressBar } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { openRecord } from '../../state/actions.js';
import { Address, ErrorAlert, Loading } from '../../components/common.jsx';
import { categoryLabel } from '../../chain/scopes.js';
import { formatBytes } from '../../util/format.js';
import { T, t } from '../../i18n/index.js';
import { isPassiveImage, objectUrlType } from '../../util/attachments.js';
import DicomViewer, { isDicom } from './DicomViewer.jsx';
import VersionHistory from './VersionHistory.jsx';
import CategoryCorrection from './CategoryCorrection.jsx';
import ClinicalCard from './ClinicalCard.jsx';
import EscrowNote from './EscrowNote.jsx';
import { recordHeading } from '../../clinical/summary.js';

function noteText(resource) {
  const data = resource?.content?.[0]?.attachment?.data;
  if (!data) return null;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

export default function RecordViewer({ record: initial, onClose, canUpdate, canCorrectCategory }) {
  const { ctx, api, wallet, unlockEncryptionKey } = useSession();
  const [record, setRecord] = useState(initial);
  const [selected, setSelected] = useState(initial.versions.length);
  // The contract lets the patient update any record, and a guardian or a doctor with append only
  // a record whose first version they wrote (updateRecordBySig: the author is version 1's).
  const me = wallet && getAddress(wallet.address);
  const mayUpdate = canUpdate && (me === getAddress(record.patient) || me === getAddress(record.versions[0].author));
  const version = record.versions.find((v) => v.version === selected) ?? record.versions[record.versions.length - 1];
  const [state, setState] = useState({ loading: true });
  const [progress, setProgress] = useState(0);

  useEffect(() => {
    let live = true;
    (async () => {
      const encryptionKey = ctx.encryptionKey ?? (await unlockEncryptionKey());
      const opened = await openRecord({ ...ctx, encryptionKey }, { recordId: record.recordId, version, onProgress: (done, total) => setProgress(total ? Math.round((100 * done) / total) : 0) });
      const attachment = opened.manifest.attachment;
      const url = attachment ? URL.createObjectURL(new Blob([opened.attachment], { type: objectUrlType(attachment.contentType) })) : null;
      if (live) setState({ opened, url });
    })().catch((error) => live && setState({ error: error.message }));
    setState({ loading: true });
    setProgress(0);
    return () => {
      live = false;
    };
    // Once per version: a re-render must not download and decrypt again.
  }, [record.recordId, version.version]);

  useEffect(() => () => state.url && URL.revokeObjectURL(state.url), [state.url]);
  const { opened, url, error } = state;
  const attachment = opened?.manifest.attachment;
  const resource = opened?.manifest.resource;
  const note = noteText(resource);
  const download = () => {
    const name = attachment?.title ?? `record-${record.recordId.slice(2, 10)}.json`;
    const href = url ?? URL.createObjectURL(new Blob([JSON.stringify(resource, null, 2)], { type: 'application/fhir+json' }));
    Object.assign(document.createElement('a'), { href, download: name }).click();
  };

  return (
    <Modal show onHide={onClose} size="lg" aria-labelledby="record-title" className="record-viewer">
      <Modal.Header closeButton>
        <Modal.Title as="h2" id="record-title" className="fs-5">{resource ? recordHeading(resource) : t('records.viewer.title')}</Modal.Title>
      </Modal.Header>
      <Modal.Body>
        <p className="small text-secondary mb-2">
          <T id="records.viewer.line" values={{ category: categoryLabel(version.category), version: version.version, author: <Address value={version.author} label={t('records.common.author')} />, size: formatBytes(version.size) }} />
        </p>
        {canCorrectCategory && <div className="d-print-none"><CategoryCorrection key={`${record.recordId}-${version.version}-${version.category}`} record={record} version={version} onCorrected={setRecord} /></div>}
        <ErrorAlert error={error} />
        {!opened && !error && (
          <>
            <Loading what={t('records.viewer.decrypting')} />
            <ProgressBar now={progress} label={t('records.viewer.percent', { percent: progress })} aria-label={t('records.viewer.progress')} />
          </>
        )}
        {opened && (
          <>
            <p>
              {opened.checkedAgainstChain && <><Badge bg="success">{t('records.viewer.digestMatches')}</Badge>{' '}</>}
              <Badge bg="light" text="dark" className="border">{t('records.viewer.decryptedLocally')}</Badge>
            </p>
            {opened.escrow && <EscrowNote escrow={opened.escrow} />}
            {note && <pre className="bg-light p-2 border rounded" style={{ whiteSpace: 'pre-wrap' }}>{note}</pre>}
            {isDicom(attachment) && <DicomViewer bytes={opened.attachment} title={attachment.title} />}
            {attachment && isPassiveImage(attachment.contentType) && <img src={url} alt={attachment.title} className="preview-image mb-3 d-block border" />}
            {attachment && !isPassiveImage(attachment.contentType) && !isDicom(attachment) && (
              <Alert variant="secondary" className="small">{attachment.contentType ? t('records.viewer.notShown', { type: attachment.contentType }) : t('records.viewer.notShownUnknown')}</Alert>
            )}
            {attachment && <p className="small">{t('records.viewer.attachment', { title: attachment.title, type: attachment.contentType, size: formatBytes(attachment.size) })}</p>}
            <ClinicalCard key={`${record.recordId}-${version.version}`} resource={resource} />
          </>
        )}
        <VersionHistory
          record={record}
          selected={version.version}
          onSelect={setSelected}
          opened={opened}
          canUpdate={mayUpdate}
          onUpdated={async (result) => {
            setRecord(await api.get(`/v1/records/${record.recordId}`));
            setSelected(result.version);
          }}
        />
      </Modal.Body>
      <Modal.Footer className="d-print-none">
        <Button variant="outline-primary" disabled={!opened} onClick={() => window.print()}>{t('records.viewer.print')}</Button>
        <Button variant="outline-primary" disabled={!opened} onClick={download}>{t('records.viewer.download')}</Button>
        <Button variant="secondary" onClick={onClose}>{t('records.viewer.close')}</Button>
      </Modal.Footer>
    </Modal>
  );
}
