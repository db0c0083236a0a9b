// The patient's encryption key: which derivation the chain holds, and its rotation to the next
// generation (docs/format.md, "Rotating the encryption key").
import { useState } from 'react';
import { Card } from 'react-bootstrap';
import { describeDerivation, toHex } from '../../crypto/index.js';
import { useSession } from '../../state/session.jsx';
import { ActionButton, ErrorAlert } from '../../components/common.jsx';

export default function KeyTab() {
  const { encryptionKey, unlockEncryptionKey, rotateKey, refresh, toast } = useSession();
  const [error, setError] = useState(null);
  return (
    <Card>
      <Card.Body>
        <Card.Title as="h2" className="fs-5">Your encryption key</Card.Title>
        <Card.Text>
          Record keys are sealed to this key; only its public half is on chain. Your wallet derives it by signing a message bound
          to this deployment. If you ever signed that message on a site you do not trust, rotate it: your copies of every record
          key are sealed to the next key first, then the chain is told. Your wallet signs the new key&apos;s message, then the
          rotation.
        </Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {encryptionKey ? (
          <p>
            <code aria-label="Your encryption public key">{toHex(encryptionKey.publicKey)}</code>{' '}
            <span className="text-secondary small" aria-label="Key derivation">{describeDerivation(encryptionKey.derivation)}</span>
          </p>
        ) : (
          <ActionButton className="me-2" variant="outline-primary" onError={setError} action={unlockEncryptionKey}>
            Show my encryption key
          </ActionButton>
        )}
        <ActionButton
          variant="warning"
          onError={setError}
          action={rotateKey}
          onDone={({ pair, resealed, alreadySealed }) => {
            toast(`Encryption key rotated to ${describeDerivation(pair.derivation)}; ${resealed + alreadySealed} record keys sealed to it`, 'success');
            refresh();
          }}
        >
          Rotate my encryption key
        </ActionButton>
      </Card.Body>
    </Card>
  );
}
