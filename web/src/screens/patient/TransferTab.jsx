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
        <Card.Title as="h2" className="fs-5">Export the record</Card.Title>
        <Card.Text>
          Every record you can open, decrypted in this browser, as one FHIR R4 Bundle file (files included). The
          command line&apos;s <code>medchain records import</code> and this page&apos;s import read it. Keep it safe: it is not encrypted.
        </Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {done && <Alert variant="success">{done}</Alert>}
        {progress && (
          <ProgressBar className="mb-3">
            <ProgressBar now={(100 * progress.done) / (progress.total || 1)} label={`${progress.done}/${progress.total}`} aria-label="Records exported" />
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
            setDone(`Exported ${result.records} record${result.records === 1 ? '' : 's'}${result.skipped ? ` (${result.skipped} without a key shared with you left out)` : ''}.`);
          }}
        >
          Export as FHIR Bundle
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
            setDone('Exported the patient summary (IPS): allergies, medications, problems, immunizations, results and procedures.');
          }}
        >
          Export patient summary (IPS)
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
        <Card.Title as="h2" className="fs-5">Import records</Card.Title>
        <Card.Text>
          Pick a FHIR Bundle (an export from here or from <code>medchain records export</code>). Every entry is checked
          first; nothing is written unless all pass. Each entry then becomes a new record, encrypted here.
        </Card.Text>
        <Form.Group className="mb-3" controlId="import-bundle">
          <Form.Label>Bundle file (JSON)</Form.Label>
          <Form.Control type="file" accept=".json,application/json,application/fhir+json" disabled={!!progress} onChange={(e) => choose(e.target.files[0])} />
        </Form.Group>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {done && <Alert variant="success">{done}</Alert>}
        {checked && !done && (
          <p>
            {checked.name}: {checked.contents.length} entr{checked.contents.length === 1 ? 'y' : 'ies'} checked, {formatBytes(bytes)}.
          </p>
        )}
        {progress && (
          // The inner bar is the one with role progressbar, so it carries the name.
          <ProgressBar className="mb-3">
            <ProgressBar
              now={(100 * progress.bytesDone) / (progress.bytesTotal || 1)}
              label={`${progress.done}/${progress.total} · ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`}
              aria-label="Records imported"
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
              setDone(`Imported ${written.length} record${written.length === 1 ? '' : 's'} from ${checked.name}.`);
              refresh();
            }}
          >
            Import {checked.contents.length} record{checked.contents.length === 1 ? '' : 's'}
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
