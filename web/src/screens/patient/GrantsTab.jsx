// Who may see the patient's records: grants with a live expiry countdown, changed (narrow or
// extend: a grant is set exactly) or revoked; and a direct grant to a verified doctor.
import { DoctorName } from '../../components/DoctorName.jsx';
import { useState } from 'react';
import { Card, Col, Form, Row, Table } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { describeSharing, grantAccess, relay } from '../../state/actions.js';
import { permissionsMask, scopeMask } from '../../chain/scopes.js';
import { ActionButton, Address, CategoryBadges, Countdown, DurationSelect, ErrorAlert, Loading, PermissionChecks, ScopePicker } from '../../components/common.jsx';
import { nowSeconds, shortAddress } from '../../util/format.js';

function GrantForm({ patient, initial, doctors, onDone }) {
  const { ctx, unlockEncryptionKey, toast } = useSession();
  const [doctor, setDoctor] = useState(initial?.doctor ?? '');
  const [scope, setScope] = useState(initial?.scope ?? ['general']);
  const [permissions, setPermissions] = useState(initial?.permissions ?? ['read']);
  const [duration, setDuration] = useState(7 * 86400);
  const [error, setError] = useState(null);
  const id = `grant-${initial?.doctor ?? 'new'}`;
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      {!initial && (
        <Form.Group className="mb-3" controlId={`${id}-doctor`}>
          <Form.Label>Doctor</Form.Label>
          <Form.Select value={doctor} onChange={(e) => setDoctor(e.target.value)}>
            <option value="">Choose a verified doctor</option>
            {doctors.filter((d) => d.status === 'verified').map((d) => <option key={d.address} value={d.address}>{shortAddress(d.address)} — {d.address}</option>)}
          </Form.Select>
        </Form.Group>
      )}
      <ScopePicker id={`${id}-scope`} value={scope} onChange={setScope} />
      <PermissionChecks id={`${id}-perm`} value={permissions} onChange={setPermissions} />
      <DurationSelect id={`${id}-duration`} value={duration} onChange={setDuration} label="From now, for" />
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <ActionButton
        disabled={!doctor || !permissions.includes('read') || scope.length === 0}
        onError={setError}
        action={async () => {
          const mask = scopeMask(scope);
          const grant = { patient, doctor, scope: mask, permissions: permissionsMask(permissions), expiry: String(nowSeconds() + duration) };
          const sharing = await grantAccess(ctx, grant, unlockEncryptionKey);
          toast(describeSharing(initial ? 'Access changed' : 'Access granted', sharing), sharing.unstated ? 'warning' : 'success');
          onDone();
        }}
      >
        {initial ? 'Save changes' : 'Grant access'}
      </ActionButton>
    </Form>
  );
}

export default function GrantsTab({ patient }) {
  const { api, ctx, toast } = useSession();
  const [editing, setEditing] = useState(null);
  const [error, setError] = useState(null);
  const grants = useLoad(() => api.get(`/v1/patients/${patient}/grants`), [patient]);
  const doctors = useLoad(() => api.get('/v1/doctors'), []);
  const active = (grants.data?.grants ?? []).filter((g) => g.active);
  return (
    <Row className="g-3">
      <Col lg={7}>
        <h2 className="fs-5">Doctors with access</h2>
        <ErrorAlert error={grants.error ?? error} onClose={() => setError(null)} />
        {grants.loading && !grants.data && <Loading what="Loading grants" />}
        {grants.data && active.length === 0 && <p className="text-secondary">Nobody has access to your records.</p>}
        {active.length > 0 && (
          <Table responsive hover aria-label="Grants">
            <thead><tr><th>Doctor</th><th>Categories</th><th>May</th><th>Expires</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {active.map((g) => (
                <tr key={g.doctor}>
                  <td><DoctorName address={g.doctor} profile={g.doctorProfile} /></td>
                  <td><CategoryBadges names={g.scope} /></td>
                  <td>{g.permissions.join(', ')}</td>
                  <td><Countdown until={g.expiry} /></td>
                  <td className="text-nowrap">
                    <ActionButton size="sm" variant="outline-secondary" className="me-1" action={async () => setEditing(editing === g.doctor ? null : g.doctor)}>Change</ActionButton>
                    <ActionButton size="sm" variant="outline-danger" onError={setError} aria-label={`Revoke access of ${g.doctor}`}
                      action={async () => { await relay(ctx, 'revokeAccessBySig', { patient, doctor: g.doctor }); toast('Access revoked', 'secondary'); grants.reload(); }}>
                      Revoke
                    </ActionButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {editing && (
          <Card className="mb-3">
            <Card.Body>
              <Card.Title className="fs-6">Change access of <Address value={editing} /></Card.Title>
              <GrantForm patient={patient} initial={active.find((g) => g.doctor === editing)} doctors={doctors.data?.doctors ?? []} onDone={() => { setEditing(null); grants.reload(); }} />
            </Card.Body>
          </Card>
        )}
      </Col>
      <Col lg={5}>
        <Card>
          <Card.Body>
            <Card.Title as="h2" className="fs-5">Grant access</Card.Title>
            <GrantForm patient={patient} doctors={doctors.data?.doctors ?? []} onDone={grants.reload} />
          </Card.Body>
        </Card>
      </Col>
    </Row>
  );
}
