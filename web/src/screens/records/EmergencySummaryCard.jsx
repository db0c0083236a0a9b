// The patient's emergency summary as a doctor sees it first (state/emergencySummary.js): blood
// type, allergies, medications and conditions from the newest version the patient or a guardian
// wrote, opened with a key shared with the doctor or, in an emergency window, through the
// patient's escrow. Loaded when the view opens, the key is unlocked or the session refreshes (an
// emergency window just opened); a version opened once is not asked for again. Until the doctor's
// encryption key is unlocked (a wallet signature) it says whether there is a summary they may
// read, and one button unlocks the key and opens it.
import { useState } from 'react';
import { Button, Card, Col, Row, Spinner } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { loadEmergencySummary } from '../../state/emergencySummary.js';
import { ErrorAlert } from '../../components/common.jsx';
import { formatTime } from '../../util/format.js';
import { t } from '../../i18n/index.js';

// `wide`: four columns on a large screen (the doctor's full-width panel); else two.
function FactList({ id, label, items, wide }) {
  return (
    <Col sm={6} lg={wide ? 3 : 6}>
      <h3 className="fs-6 mb-1" id={id}>{label}</h3>
      {items.length ? (
        <ul className="mb-0 ps-3" aria-labelledby={id}>
          {items.map((item, i) => <li key={i}>{item}</li>)}
        </ul>
      ) : (
        <p className="text-secondary mb-0">{t('emergencySummary.card.noneStated')}</p>
      )}
    </Col>
  );
}

export function SummaryFacts({ facts, idPrefix, wide = false }) {
  return (
    <Row className="g-3">
      <Col sm={6} lg={wide ? 3 : 6}>
        <h3 className="fs-6 mb-1">{t('emergencySummary.card.bloodType')}</h3>
        <p className="mb-0 fs-5" data-testid={`${idPrefix}-blood-type`}>{facts.bloodType || t('emergencySummary.card.notStated')}</p>
      </Col>
      <FactList id={`${idPrefix}-allergies`} label={t('emergencySummary.card.allergies')} items={facts.allergies} wide={wide} />
      <FactList id={`${idPrefix}-medications`} label={t('emergencySummary.card.medications')} items={facts.medications} wide={wide} />
      <FactList id={`${idPrefix}-conditions`} label={t('emergencySummary.card.conditions')} items={facts.conditions} wide={wide} />
    </Row>
  );
}

export default function EmergencySummaryCard({ patient }) {
  const { ctx, encryptionKey, unlockEncryptionKey } = useSession();
  // encryptionKey is in the load's dependencies: unlocking it opens the summary.
  const [unlockError, setUnlockError] = useState(null);
  const loaded = useLoad(() => loadEmergencySummary(ctx, patient), [patient, encryptionKey]);
  const { data, error, status, loading } = loaded;
  return (
    <Card className="mb-3 border-danger" as="section" aria-labelledby="emergency-summary-title">
      <Card.Body>
        <Card.Title as="h2" className="fs-5" id="emergency-summary-title">{t('emergencySummary.card.title')}</Card.Title>
        {data?.locked && (
          <>
            <p>{t('emergencySummary.card.locked')}</p>
            <ErrorAlert error={unlockError} onClose={() => setUnlockError(null)} />
            <Button variant="danger" onClick={() => unlockEncryptionKey().catch((e) => setUnlockError(e.message))}>{t('emergencySummary.card.unlock')}</Button>
          </>
        )}
        {/* One line, as tall as the answers most doctors get ("none", "may not read"), so the
            record list below does not move under a click when the panel has loaded. */}
        {loading && !data && !error && (
          <p className="text-secondary mb-0" role="status">
            <Spinner animation="border" size="sm" /> {t('emergencySummary.card.opening')}…
          </p>
        )}
        {error && status === 403 && <p className="text-secondary mb-0">{t('emergencySummary.card.forbidden')}</p>}
        {error && status !== 403 && (
          <>
            <ErrorAlert error={error} />
            <Button size="sm" variant="outline-secondary" onClick={loaded.reload}>{t('emergencySummary.card.retry')}</Button>
          </>
        )}
        {data && !data.record && <p className="text-secondary mb-0">{t('emergencySummary.card.none')}</p>}
        {data?.facts && (
          <>
            <SummaryFacts facts={data.facts} idPrefix="emergency-summary" wide />
            <p className="small text-secondary mt-3 mb-0">
              {t('emergencySummary.card.version', { version: data.version.version, time: data.version.blockTime ? formatTime(data.version.blockTime) : '?' })}
              {data.escrow && <> {t('emergencySummary.card.throughEscrow', { used: data.escrow.used, count: data.escrow.count })}</>}
            </p>
          </>
        )}
      </Card.Body>
    </Card>
  );
}
