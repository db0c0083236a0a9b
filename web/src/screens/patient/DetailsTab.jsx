// "My details": the patient's name and date of birth, kept as an encrypted FHIR Patient record
// (state/patientDetails.js). Saving writes a new record, or the next version of the existing
// one, through the same path as any record; doctors who may read general records see the name.
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Form, Row } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { addRecord, updateRecord } from '../../state/actions.js';
import { formatPatient, loadPatientDetails, patientResource } from '../../state/patientDetails.js';
import { ActionButton, ErrorAlert, Loading } from '../../components/common.jsx';
import { T, t } from '../../i18n/index.js';

export default function DetailsTab({ patient }) {
  const { ctx, encryptionKey, unlockEncryptionKey, toast } = useSession();
  const [unlockError, setUnlockError] = useState(null);
  const [error, setError] = useState(null);
  const [form, setForm] = useState({ given: '', family: '', birthDate: '' });
  // Loaded when the tab opens and after a save, not on every feed message: each load reads keys,
  // and each read is an audit entry that reaches the feed.
  const [again, setAgain] = useState(0);
  const [{ data, error: loadError, loading }, setLoaded] = useState({ loading: true });
  useEffect(() => {
    let live = true;
    setLoaded((s) => ({ ...s, loading: true }));
    loadPatientDetails(ctx, patient).then(
      (found) => live && setLoaded({ data: found, loading: false }),
      (error) => live && setLoaded({ error: error.message, loading: false }),
    );
    return () => { live = false; };
    // ctx is a new object every render; what the load reads is the patient and the key.
  }, [patient, encryptionKey, again]);
  const current = data?.details;
  useEffect(() => {
    if (current) setForm({ given: current.given, family: current.family, birthDate: current.birthDate });
  }, [current]);
  const set = (name) => (e) => setForm((f) => ({ ...f, [name]: e.target.value }));
  if (!encryptionKey) {
    return (
      <Card><Card.Body>
        <Card.Text>{t('patient.details.locked')}</Card.Text>
        <ErrorAlert error={unlockError} onClose={() => setUnlockError(null)} />
        <ActionButton onError={setUnlockError} action={unlockEncryptionKey}>{t('patient.details.unlock')}</ActionButton>
      </Card.Body></Card>
    );
  }
  return (
    <Card>
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('patient.details.title')}</Card.Title>
        {loading && !data && <Loading what={t('patient.details.opening')} />}
        <ErrorAlert error={loadError} />
        {data && !current && (
          <Alert variant="info">{t('patient.details.none')}</Alert>
        )}
        {current && <p><T id="patient.details.seen" values={{ details: <strong data-testid="my-details">{formatPatient(current)}</strong> }} /></p>}
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <Form onSubmit={(e) => e.preventDefault()} aria-label={t('patient.details.title')}>
          <Row className="g-2 mb-3">
            <Col md={4}><Form.Group controlId="details-given"><Form.Label>{t('patient.details.given')}</Form.Label><Form.Control value={form.given} onChange={set('given')} autoComplete="given-name" /></Form.Group></Col>
            <Col md={4}><Form.Group controlId="details-family"><Form.Label>{t('patient.details.family')}</Form.Label><Form.Control value={form.family} onChange={set('family')} autoComplete="family-name" /></Form.Group></Col>
            <Col md={4}><Form.Group controlId="details-birth"><Form.Label>{t('patient.details.birthDate')}</Form.Label><Form.Control type="date" value={form.birthDate} onChange={set('birthDate')} autoComplete="bday" /></Form.Group></Col>
          </Row>
          <ActionButton
            onError={setError}
            action={async () => {
              const resource = patientResource(form);
              const content = { patient, category: 'general', resource, title: t('patient.details.recordTitle') };
              if (data?.record) await updateRecord(ctx, { ...content, record: data.record });
              else await addRecord(ctx, content);
              setError(null);
              toast(t('patient.details.saved'), 'success');
              setAgain((n) => n + 1);
            }}
          >
            {t('patient.details.save')}
          </ActionButton>
        </Form>
      </Card.Body>
    </Card>
  );
}
