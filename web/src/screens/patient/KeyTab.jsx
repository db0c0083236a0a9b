// The patient's encryption key: which derivation the chain holds, and its rotation to the next
// generation (docs/format.md, "Rotating the encryption key").
import { useState } from 'react';
import { Card } from 'react-bootstrap';
import { describeDerivation, toHex } from '../../crypto/index.js';
import { useSession } from '../../state/session.jsx';
import { t } from '../../i18n/index.js';
import { ActionButton, ErrorAlert } from '../../components/common.jsx';

export default function KeyTab() {
  const { encryptionKey, unlockEncryptionKey, rotateKey, refresh, toast } = useSession();
  const [error, setError] = useState(null);
  return (
    <Card>
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('patient.key.title')}</Card.Title>
        <Card.Text>{t('patient.key.explain')}</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {encryptionKey ? (
          <p>
            <code aria-label={t('patient.key.publicKey')}>{toHex(encryptionKey.publicKey)}</code>{' '}
            <span className="text-secondary small" aria-label={t('patient.key.derivation')}>{describeDerivation(encryptionKey.derivation)}</span>
          </p>
        ) : (
          <ActionButton className="me-2" variant="outline-primary" onError={setError} action={unlockEncryptionKey}>
            {t('patient.key.show')}
          </ActionButton>
        )}
        <ActionButton
          variant="warning"
          onError={setError}
          action={rotateKey}
          onDone={({ pair, resealed, alreadySealed }) => {
            toast(t('patient.key.rotated', { derivation: describeDerivation(pair.derivation), count: resealed + alreadySealed }), 'success');
            refresh();
          }}
        >
          {t('patient.key.rotate')}
        </ActionButton>
      </Card.Body>
    </Card>
  );
}
