// The patient's emergency summary (state/emergencySummary.js): what a doctor in an emergency sees
// first. The patient (or a guardian) edits allergies, medications and conditions, one per line,
// and the blood type; saving writes the next version of the summary's record, escrowed like any.
// Loaded when the tab opens and after a save, not on every feed message (each key read is an
// audit entry that reaches the feed).
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Form, Row } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { BLOOD_TYPES, loadEmergencySummary, saveEmergencySummary } from '../../state/emergencySummary.js';
import { ActionButton, ErrorAlert, Loading } from '../../components/common.jsx';
import { SummaryFacts } from '../records/EmergencySummaryCard.jsx';
import { t } from '../../i18n/index.js';

const lines = (text) => text.split('\n').map((s) => s.trim()).filter(Boolean);
const EMPTY = { allergies: '', medications: '', conditions: '', bloodType: '' };

export default function EmergencySummaryTab({ patient }) {
  const { ctx, encryptionKey, unlockEncryptionKey, toast } = useSession();
  const [unlockError, setUnlockError] = useState(null);
  const [error, setError] = useState(null);
  const [form, setForm] = useState(EMPTY);
  const [again, setAgain] = useState(0);
  const [{ data, error: loadError, loading }, setLoaded] = useState({ loading: true });
  useEffect(() => {
    let live = true;
    if (!encryptionKey) return undefined;
    setLoaded((s) => ({ ...s, loading: true }));
    loadEmergencySummary(ctx, patient).then(
      (found) => live && setLoaded({ data: found, loading: false }),
      (failed) => live && setLoaded({ error: failed.message, loading: false }),
    );
    return () => { live = false; };
    // ctx is a new object every render; what the load reads is the patient and the key.
  }, [patient, encryptionKey, again]);
  const facts = data?.facts;
  useEffect(() => {
    if (facts) setForm({ allergies: facts.allergies.join('\n'), medications: facts.medications.join('\n'), conditions: facts.conditions.join('\n'), bloodType: facts.bloodType });
  }, [facts]);
  const set = (name) => (e) => setForm((f) => ({ ...f, [name]: e.target.value }));
  if (!encryptionKey) {
    return (
      <Card><Card.Body>
        <Card.Text>{t('emergencySummary.editor.locked')}</Card.Text>
        <ErrorAlert error={unlockError} onClose={() => setUnlockError(null)} />
        <ActionButton onError={setUnlockError} action={unlockEncryptionKey}>{t('emergencySummary.editor.unlock')}</ActionButton>
      </Card.Body></Card>
    );
  }
  return (
    <Row className="g-3">
      <Col lg={7}>
        <Card>
          <Card.Body>
            <Card.Title as="h2" className="fs-5">{t('emergencySummary.editor.title')}</Card.Title>
            <Card.Text>{t('emergencySummary.editor.explain')}</Card.Text>
            <ErrorAlert error={error} onClose={() => setError(null)} />
            <Form onSubmit={(e) => e.preventDefault()} aria-label={t('emergencySummary.editor.title')}>
              <Form.Group className="mb-3" controlId="summary-allergies">
                <Form.Label>{t('emergencySummary.editor.allergies')}</Form.Label>
                <Form.Control as="textarea" rows={3} value={form.allergies} onChange={set('allergies')} aria-describedby="summary-one-per-line" />
              </Form.Group>
              <Form.Group className="mb-3" controlId="summary-medications">
                <Form.Label>{t('emergencySummary.editor.medications')}</Form.Label>
                <Form.Control as="textarea" rows={3} value={form.medications} onChange={set('medications')} aria-describedby="summary-one-per-line" />
              </Form.Group>
              <Form.Group className="mb-3" controlId="summary-conditions">
                <Form.Label>{t('emergencySummary.editor.conditions')}</Form.Label>
                <Form.Control as="textarea" rows={3} value={form.conditions} onChange={set('conditions')} aria-describedby="summary-one-per-line" />
              </Form.Group>
              <Form.Text as="p" id="summary-one-per-line">{t('emergencySummary.editor.onePerLine')}</Form.Text>
              <Form.Group className="mb-3" controlId="summary-blood-type" style={{ maxWidth: 240 }}>
                <Form.Label>{t('emergencySummary.editor.bloodType')}</Form.Label>
                <Form.Select value={form.bloodType} onChange={set('bloodType')}>
                  <option value="">{t('emergencySummary.editor.bloodTypeUnknown')}</option>
                  {BLOOD_TYPES.map((b) => <option key={b} value={b}>{b}</option>)}
                </Form.Select>
              </Form.Group>
              <ActionButton
                onError={setError}
                action={async () => {
                  const written = await saveEmergencySummary(ctx, {
                    patient,
                    record: data?.record ?? null,
                    facts: { allergies: lines(form.allergies), medications: lines(form.medications), conditions: lines(form.conditions), bloodType: form.bloodType },
                  });
                  setError(null);
                  toast(written.escrowed ? t('emergencySummary.editor.saved') : t('emergencySummary.editor.savedNotEscrowed'), 'success');
                  setAgain((n) => n + 1);
                }}
              >
                {t('emergencySummary.editor.save')}
              </ActionButton>
            </Form>
          </Card.Body>
        </Card>
      </Col>
      <Col lg={5}>
        <Card>
          <Card.Body>
            <Card.Title as="h2" className="fs-5">{t('emergencySummary.editor.current')}</Card.Title>
            {loading && !data && <Loading what={t('emergencySummary.card.opening')} />}
            <ErrorAlert error={loadError} />
            {data && !data.record && <Alert variant="info">{t('emergencySummary.editor.none')}</Alert>}
            {facts && (
              <>
                <SummaryFacts facts={facts} idPrefix="my-summary" />
                <p className="small text-secondary mt-3 mb-0">{t('emergencySummary.editor.version', { version: data.version.version })}</p>
              </>
            )}
          </Card.Body>
        </Card>
      </Col>
    </Row>
  );
}
