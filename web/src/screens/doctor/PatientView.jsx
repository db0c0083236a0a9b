// One patient seen by a doctor: the grant they hold (if any), a request form, the records they
// may read, adding a record under an append grant, and emergency access.
import { useState } from 'react';
import { Alert, Button, Card, Col, Form, Modal, Row } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { relay } from '../../state/actions.js';
import { requestAccess } from '../../state/reasons.js';
import { REASON_CODES, REQUEST_REASONS, permissionsMask, scopeMask } from '../../chain/scopes.js';
import { ActionButton, Address, CategoryBadges, Countdown, DurationSelect, ErrorAlert, Loading, PermissionChecks, ScopePicker } from '../../components/common.jsx';
import { formatDuration } from '../../util/format.js';
import { PatientName } from '../../components/PatientName.jsx';
import RecordTimeline from '../records/RecordTimeline.jsx';
import AddRecordForm from '../records/AddRecordForm.jsx';

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
        <Card.Title as="h2" className="fs-5">Request access</Card.Title>
        <Form onSubmit={(e) => e.preventDefault()}>
          <Form.Group className="mb-3" controlId="request-reason">
            <Form.Label>Reason</Form.Label>
            <Form.Select value={reason} onChange={(e) => setReason(e.target.value)}>
              {REQUEST_REASONS.map((r) => <option key={r}>{r}</option>)}
              <option value="custom">Other…</option>
            </Form.Select>
          </Form.Group>
          {reason === 'custom' && (
            <Form.Group className="mb-3" controlId="request-custom">
              <Form.Label>Your reason (it reaches the patient alone, encrypted to their key; only a salted hash goes on chain)</Form.Label>
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
              toast('Request sent to the patient', 'success');
              onDone();
            }}
          >
            Send request
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
  if (!policy.allowed) return <Alert variant="secondary">This patient does not allow emergency access.</Alert>;
  return (
    <>
      <Button variant="outline-danger" className="mb-3" onClick={() => setShow(true)}>Emergency access…</Button>
      <Modal show={show} onHide={() => setShow(false)} aria-labelledby="emergency-title">
        <Modal.Header closeButton><Modal.Title id="emergency-title" className="fs-5 text-danger">Emergency access</Modal.Title></Modal.Header>
        <Modal.Body>
          <Alert variant="danger">
            <strong>Use only in a real emergency.</strong> You will be able to read every category of this patient's records for the
            window you choose. The opening, your reason and every record you open are recorded on chain and in the audit log,
            and the patient and their guardians are notified at once. Misuse can cost you your verification.
          </Alert>
          <Form.Group className="mb-3" controlId="emergency-reason">
            <Form.Label>Reason</Form.Label>
            <Form.Select value={reasonCode} onChange={(e) => setReasonCode(Number(e.target.value))}>
              {REASON_CODES.map((r) => <option key={r.code} value={r.code}>{r.label}</option>)}
            </Form.Select>
          </Form.Group>
          <Form.Group className="mb-3" controlId="emergency-hours">
            <Form.Label>For (hours, at most {maxHours})</Form.Label>
            <Form.Control type="number" min={1} max={maxHours} value={hours} onChange={(e) => setHours(Number(e.target.value))} />
          </Form.Group>
          {policy.cooldown > 0 && <p className="small">Once your window has ended, this patient makes you wait {formatDuration(policy.cooldown)} before you can open another.</p>}
          <Form.Check id="emergency-understood" label="I understand that this is recorded and the patient is notified" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
          <ErrorAlert error={error} onClose={() => setError(null)} />
        </Modal.Body>
        <Modal.Footer>
          <Button variant="secondary" onClick={() => setShow(false)}>Cancel</Button>
          <ActionButton variant="danger" disabled={!understood || hours < 1 || hours > maxHours} onError={setError}
            action={async () => { await relay(ctx, 'openEmergencyAccessBySig', { patient, duration: hours * 3600, reasonCode }); toast('Emergency access opened', 'danger'); setShow(false); refresh(); }}>
            Open emergency access
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
  if (info.loading && !info.data) return <Loading what="Looking up the patient" />;
  if (info.error) return <ErrorAlert error={info.status === 404 ? 'No registered patient has this address.' : info.error} />;
  return (
    <>
      <p>Patient <PatientName address={patient} /></p>
      {grant ? (
        <Alert variant="success">
          You may {grant.permissions.join(' and ')} <CategoryBadges names={grant.scope} /> <Countdown until={grant.expiry} />
        </Alert>
      ) : (
        <Alert variant="secondary">You have no access to this patient's records.</Alert>
      )}
      <Row className="g-3">
        <Col lg={grant ? 8 : 6}>
          <h2 className="fs-5">Records you may read</h2>
          <RecordTimeline patient={patient} canUpdate={!!grant?.permissions.includes('append')} emptyText="No records you may read." />
          {grant?.permissions.includes('append') && (
            <Card className="mt-3">
              <Card.Body>
                <Card.Title as="h2" className="fs-5">Add a record</Card.Title>
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
