// Shown to the new address of a recovered patient (the chain's controllerOf names it): it acts
// for the patient from here, and "Restore my records" (state/recoveryRestore.js) gets the old
// records' keys back through the patient's escrow custodians, as `medchain recovery restore` does.
import { useState } from 'react';
import { Alert, Card, ListGroup } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { restoreRecords } from '../../state/recoveryRestore.js';
import { forgetRefusedSummaries } from '../records/RecordTimeline.jsx';
import { ActionButton, ErrorAlert } from '../../components/common.jsx';
import { t } from '../../i18n/index.js';

export default function RestoreCard({ patient }) {
  const { ctx, toast, unlockEncryptionKey, refresh } = useSession();
  const [step, setStep] = useState('');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  return (
    <Card className="mb-3" border="info">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('recovery.restore.title')}</Card.Title>
        <Card.Text>{t('recovery.restore.explain')}</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {/* The step line keeps its height while idle, so the tabs below never move. */}
        <p className="small mb-2" role="status" style={{ minHeight: '1.5em' }}>{step}</p>
        {result && (
          <Alert variant={result.unrestored.length ? 'warning' : 'success'} className="small">
            <p className="mb-1" data-testid="restore-result">{t('recovery.restore.result', { restored: result.restored, already: result.already })}</p>
            {result.unrestored.length > 0 && (
              <ListGroup as="ul" aria-label={t('recovery.restore.unrestoredLabel')}>
                {result.unrestored.map((u) => <ListGroup.Item as="li" key={`${u.recordId}/${u.version}`}>{t('recovery.restore.unrestored', { version: u.version, reason: u.reason })}</ListGroup.Item>)}
              </ListGroup>
            )}
            {result.skipped.length > 0 && (
              <ListGroup as="ul" aria-label={t('recovery.restore.skippedLabel')}>
                {result.skipped.map((s) => <ListGroup.Item as="li" key={s}>{s}</ListGroup.Item>)}
              </ListGroup>
            )}
          </Alert>
        )}
        <ActionButton onError={(e) => { setStep(''); setError(e); }}
          action={async () => {
            setResult(null);
            const keyPair = await unlockEncryptionKey();
            const done = await restoreRecords({ ...ctx, encryptionKey: keyPair }, { patient, keyPair, onProgress: setStep });
            setStep('');
            setResult(done);
            toast(t('recovery.restore.result', { restored: done.restored, already: done.already }), done.unrestored.length ? 'warning' : 'success');
            forgetRefusedSummaries();
            refresh();
          }}>
          {t('recovery.restore.button')}
        </ActionButton>
      </Card.Body>
    </Card>
  );
}
