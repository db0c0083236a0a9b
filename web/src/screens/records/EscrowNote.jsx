// How a record opened through the patient's emergency escrow (state/emergencyEscrow.js): how many
// custodians released a part of its key, and each custodian that was skipped and why.
import { Alert } from 'react-bootstrap';
import { t } from '../../i18n/index.js';

export default function EscrowNote({ escrow }) {
  return (
    <Alert variant="warning" className="small py-2">
      <strong>{t('escrow.note.opened', { used: escrow.used, count: escrow.count })}</strong>{' '}
      {t('escrow.note.explain', { threshold: escrow.threshold })}
      {escrow.skipped.length > 0 && (
        <ul className="mb-0 mt-1" aria-label={t('escrow.note.skippedLabel')}>
          {escrow.skipped.map((text) => <li key={text}>{text}</li>)}
        </ul>
      )}
    </Alert>
  );
}
