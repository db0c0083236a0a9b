// Export and import of the patient's whole record as a FHIR Bundle (docs/ui.md): the export is
// decrypted and checked in this browser and downloaded; an import is checked entry by entry
// before anything is written, then each entry becomes a new record, with progress.
import { useState } from 'react';
import { Alert, Card, Form, ProgressBar } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { exportRecords, exportSummary, importRecords } from '../../state/recordTransfer.js';
import { contentBytes, parseBundle } from '../../state/recordBundle.js';
import { ActionButton, ErrorAlert } from '../../components/common.jsx';
import { formatBytes } from '../../util/format.js';
import { T, t } from '../../i18n/index.js';

// Commands, the same in every language, named inside the explanations.
const CLI_IMPORT = 'medchain records import';
const CLI_EXPORT = 'medchain records export';

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/fhir+json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function ExportCard({ patient }) {
  const { ctx, unlockEncryptionKey } = useSession();
  const [error, setError] = useState(null);
  const [progress, setProgress] = useState(null);
  const [done, setDone] = useState(null);
  return (
    <Card className="mb-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('patient.transfer.exportTitle')}</Card.Title>
        <Card.Text>
          <T id="patient.transfer.exportExplain" values={{ command: <code>{CLI_IMPORT}</code> }} />
        </Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {done && <Alert variant="success">{done}</Alert>}
        {progress && (
          <ProgressBar className="mb-3">
            <ProgressBar now={(100 * progress.done) / (progress.total || 1)} label={`${progress.done}/${progress.total}`} aria-label={t('patient.transfer.exportedProgress')} />
          </ProgressBar>
        )}
        <ActionButton
          onError={(e) => { setError(e); setProgress(null); }}
          action={async () => {
            setDone(null);
            const key = await unlockEncryptionKey();
            const result = await exportRecords({ ...ctx, encryptionKey: key }, patient, setProgress);
            download(`medchain-${patient.slice(0, 10)}-${new Date().toISOString().slice(0, 10)}.json`, `${JSON.stringify(result.bundle, null, 2)}\n`);
            setProgress(null);
            setDone(result.skipped
              ? t('patient.transfer.exportedSkipped', { count: result.records, skipped: result.skipped })
              : t('patient.transfer.exported', { count: result.records }));
          }}
        >
          {t('patient.transfer.export')}
        </ActionButton>{' '}
        <ActionButton
          variant="outline-primary"
          onError={(e) => { setError(e); setProgress(null); }}
          action={async () => {
            setDone(null);
            const key = await unlockEncryptionKey();
            const { summary } = await exportSummary({ ...ctx, encryptionKey: key }, patient, setProgress);
            download(`medchain-summary-${patient.slice(0, 10)}-${new Date().toISOString().slice(0, 10)}.json`, `${JSON.stringify(summary, null, 2)}\n`);
            setProgress(null);
            setDone(t('patient.transfer.exportedSummary'));
          }}
        >
          {t('patient.transfer.exportSummary')}
        </ActionButton>
      </Card.Body>
    </Card>
  );
}

function ImportCard({ patient }) {
  const { ctx, unlockEncryptionKey, refresh } = useSession();
  const [error, setError] = useState(null);
  const [checked, setChecked] = useState(null); // {name, contents}
  const [progress, setProgress] = useState(null);
  const [done, setDone] = useState(null);
  const choose = async (file) => {
    setError(null);
    setDone(null);
    setChecked(null);
    if (!file) return;
    try {
      setChecked({ name: file.name, contents: parseBundle(await file.text()) });
    } catch (e) {
      setError(`${file.name}: ${e.message}`);
    }
  };
  const bytes = checked ? checked.contents.reduce((sum, c) => sum + contentBytes(c), 0) : 0;
  return (
    <Card className="mb-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('patient.transfer.importTitle')}</Card.Title>
        <Card.Text>
          <T id="patient.transfer.importExplain" values={{ command: <code>{CLI_EXPORT}</code> }} />
        </Card.Text>
        <Form.Group className="mb-3" controlId="import-bundle">
          <Form.Label>{t('patient.transfer.bundleFile')}</Form.Label>
          <Form.Control type="file" accept=".json,application/json,application/fhir+json" disabled={!!progress} onChange={(e) => choose(e.target.files[0])} />
        </Form.Group>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {done && <Alert variant="success">{done}</Alert>}
        {checked && !done && (
          <p>{t('patient.transfer.checked', { name: checked.name, count: checked.contents.length, size: formatBytes(bytes) })}</p>
        )}
        {progress && (
          // The inner bar is the one with role progressbar, so it carries the name.
          <ProgressBar className="mb-3">
            <ProgressBar
              now={(100 * progress.bytesDone) / (progress.bytesTotal || 1)}
              label={t('patient.transfer.importProgress', { done: progress.done, total: progress.total, bytesDone: formatBytes(progress.bytesDone), bytesTotal: formatBytes(progress.bytesTotal) })}
              aria-label={t('patient.transfer.importedProgress')}
            />
          </ProgressBar>
        )}
        {checked && !done && (
          <ActionButton
            disabled={checked.contents.length === 0}
            onError={(e) => { setError(e); setProgress(null); setChecked(null); refresh(); }}
            action={async () => {
              const key = await unlockEncryptionKey();
              setProgress({ done: 0, total: checked.contents.length, bytesDone: 0, bytesTotal: bytes });
              const written = await importRecords({ ...ctx, encryptionKey: key }, patient, checked.contents, setProgress);
              setProgress(null);
              setDone(t('patient.transfer.imported', { count: written.length, name: checked.name }));
              refresh();
            }}
          >
            {t('patient.transfer.import', { count: checked.contents.length })}
          </ActionButton>
        )}
      </Card.Body>
    </Card>
  );
}

export default function TransferTab({ patient }) {
  return (
    <>
      <ExportCard patient={patient} />
      <ImportCard patient={patient} />
    </>
  );
}
