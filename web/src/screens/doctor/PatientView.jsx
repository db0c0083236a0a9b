// One patient seen by a doctor: the grant they hold (if any), the patient's emergency summary
// first, a request form, the records they may read, adding a record under an append grant, and emergency access.
import { useState } from 'react';
import { Alert, Button, Card, Col, Form, Modal, Row } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { relay } from '../../state/actions.js';
import { requestAccess } from '../../state/reasons.js';
import { REASON_CODES, REQUEST_REASONS, permissionsMask, scopeMask } from '../../chain/scopes.js';
import { ActionButton, Address, CategoryBadges, Countdown, DurationSelect, ErrorAlert, Loading, PermissionChecks, ScopePicker } from '../../components/common.jsx';
import { formatDuration } from '../../util/format.js';
import { PatientName } from '../../components/PatientName.jsx';
import { T, currentLanguage, t } from '../../i18n/index.js';
import RecordTimeline from '../records/RecordTimeline.jsx';
import AddRecordForm from '../records/AddRecordForm.jsx';
import EmergencySummaryCard from '../records/EmergencySummaryCard.jsx';

// The common request reasons' labels. The reason itself stays the English text: its keccak256
// is on chain, and the patient's app recognises the common ones by that hash.
const REQUEST_REASON_LABELS = {
  Consultation: 'doctor.request.reason.consultation',
  'Follow-up visit': 'doctor.request.reason.followUp',
  'Second opinion': 'doctor.request.reason.secondOpinion',
  Referral: 'doctor.request.reason.referral',
  'Ongoing treatment': 'doctor.request.reason.ongoing',
};

function RequestAccess({ patient, onDone }) {
  const { ctx, toast } = useSession();
  const [reason, setReason] = useState(REQUEST_REASONS[0]);
  const [custom, setCustom] = useState('');
  const [scope, setScope] = useState(['general', 'lab']);
  const [permissions, setPermissions] = useState(['read']);
  const [duration, setDuration] = useState(7 * 86400);
  const [error, setError] = useState(null);
  const text = reason === 'custom' ? custom.trim() : reason;
  return (
    <Card className="mb-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('doctor.request.title')}</Card.Title>
        <Form onSubmit={(e) => e.preventDefault()}>
          <Form.Group className="mb-3" controlId="request-reason">
            <Form.Label>{t('doctor.request.reason')}</Form.Label>
            <Form.Select value={reason} onChange={(e) => setReason(e.target.value)}>
              {REQUEST_REASONS.map((r) => <option key={r} value={r}>{REQUEST_REASON_LABELS[r] ? t(REQUEST_REASON_LABELS[r]) : r}</option>)}
              <option value="custom">{t('doctor.request.reason.other')}</option>
            </Form.Select>
          </Form.Group>
          {reason === 'custom' && (
            <Form.Group className="mb-3" controlId="request-custom">
              <Form.Label>{t('doctor.request.customReason')}</Form.Label>
              <Form.Control value={custom} onChange={(e) => setCustom(e.target.value)} />
            </Form.Group>
          )}
          <ScopePicker id="request-scope" value={scope} onChange={setScope} />
          <PermissionChecks id="request-perm" value={permissions} onChange={setPermissions} />
          <DurationSelect id="request-duration" value={duration} onChange={setDuration} />
          <ErrorAlert error={error} onClose={() => setError(null)} />
          <ActionButton
            disabled={!text || scope.length === 0 || !permissions.includes('read')}
            onError={setError}
            action={async () => {
              await requestAccess(ctx, { patient, scope: scopeMask(scope), permissions: permissionsMask(permissions), duration, reason: text });
              toast(t('doctor.request.sent'), 'success');
              onDone();
            }}
          >
            {t('doctor.request.send')}
          </ActionButton>
        </Form>
      </Card.Body>
    </Card>
  );
}

function EmergencyAccess({ patient, policy }) {
  const { ctx, toast, refresh } = useSession();
  const [show, setShow] = useState(false);
  const [reasonCode, setReasonCode] = useState(1);
  const [hours, setHours] = useState(1);
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState(null);
  const maxHours = Math.floor(policy.maxWindow / 3600);
  if (!policy.allowed) return <Alert variant="secondary">{t('doctor.emergency.notAllowed')}</Alert>;
  return (
    <>
      <Button variant="outline-danger" className="mb-3" onClick={() => setShow(true)}>{t('doctor.emergency.open')}</Button>
      <Modal show={show} onHide={() => setShow(false)} aria-labelledby="emergency-title">
        <Modal.Header closeButton><Modal.Title id="emergency-title" className="fs-5 text-danger">{t('doctor.emergency.title')}</Modal.Title></Modal.Header>
        <Modal.Body>
          <Alert variant="danger">
            <strong>{t('doctor.emergency.warningLead')}</strong> {t('doctor.emergency.warning')}
          </Alert>
          <Form.Group className="mb-3" controlId="emergency-reason">
            <Form.Label>{t('doctor.emergency.reason')}</Form.Label>
            <Form.Select value={reasonCode} onChange={(e) => setReasonCode(Number(e.target.value))}>
              {REASON_CODES.map((r) => <option key={r.code} value={r.code}>{t(`doctor.emergency.reason.${r.code}`)}</option>)}
            </Form.Select>
          </Form.Group>
          <Form.Group className="mb-3" controlId="emergency-hours">
            <Form.Label>{t('doctor.emergency.hours', { max: maxHours })}</Form.Label>
            <Form.Control type="number" min={1} max={maxHours} value={hours} onChange={(e) => setHours(Number(e.target.value))} />
          </Form.Group>
          {policy.cooldown > 0 && <p className="small">{t('doctor.emergency.cooldown', { duration: formatDuration(policy.cooldown) })}</p>}
          <Form.Check id="emergency-understood" label={t('doctor.emergency.understood')} checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
          <ErrorAlert error={error} onClose={() => setError(null)} />
        </Modal.Body>
        <Modal.Footer>
          <Button variant="secondary" onClick={() => setShow(false)}>{t('doctor.emergency.cancel')}</Button>
          <ActionButton variant="danger" disabled={!understood || hours < 1 || hours > maxHours} onError={setError}
            action={async () => { await relay(ctx, 'openEmergencyAccessBySig', { patient, duration: hours * 3600, reasonCode }); toast(t('doctor.emergency.opened'), 'danger'); setShow(false); refresh(); }}>
            {t('doctor.emergency.submit')}
          </ActionButton>
        </Modal.Footer>
      </Modal>
    </>
  );
}

export default function PatientView({ patient }) {
  const { api, session, refresh } = useSession();
  const info = useLoad(() => api.get(`/v1/patients/${patient}`), [patient]);
  const grants = useLoad(() => api.get(`/v1/doctors/${session.address}/grants`), [session.address]);
  const grant = grants.data?.grants.find((g) => g.patient === patient && g.active);
  if (info.loading && !info.data) return <Loading what={t('doctor.patient.lookingUp')} />;
  if (info.error) return <ErrorAlert error={info.status === 404 ? t('doctor.patient.unknown') : info.error} />;
  return (
    <>
      <p><T id="doctor.patient.heading" values={{ name: <PatientName address={patient} /> }} /></p>
      {grant ? (
        <Alert variant="success">
          <T
            id="doctor.patient.youMay"
            values={{
              permissions: new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(grant.permissions.map((p) => t(`doctor.permission.${p}`))),
              categories: <CategoryBadges names={grant.scope} />,
              expiry: <Countdown until={grant.expiry} />,
            }}
          />
        </Alert>
      ) : (
        <Alert variant="secondary">{t('doctor.patient.noAccess')}</Alert>
      )}
      <EmergencySummaryCard patient={patient} />
      <Row className="g-3">
        <Col lg={grant ? 8 : 6}>
          <h2 className="fs-5">{t('doctor.patient.records')}</h2>
          <RecordTimeline patient={patient} canUpdate={!!grant?.permissions.includes('append')} emptyText={t('doctor.patient.noRecords')} />
          {grant?.permissions.includes('append') && (
            <Card className="mt-3">
              <Card.Body>
                <Card.Title as="h2" className="fs-5">{t('doctor.patient.addRecord')}</Card.Title>
                <AddRecordForm patient={patient} onAdded={refresh} />
              </Card.Body>
            </Card>
          )}
        </Col>
        <Col lg={grant ? 4 : 6}>
          <RequestAccess patient={patient} onDone={refresh} />
          <EmergencyAccess patient={patient} policy={info.data.emergencyPolicy} />
        </Col>
      </Row>
    </>
  );
}
