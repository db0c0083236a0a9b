// The doctor's portal: patients who granted access (with expiry), finding a patient by
// address, requesting access, reading their records (decrypted here), adding records where
// append was granted, and emergency access.
import { useState } from 'react';
import { Alert, Badge, Button, Card, Form, InputGroup, Nav, Table } from 'react-bootstrap';
import { isAddress, getAddress } from 'ethers';
import { useSession, useLoad } from '../../state/session.jsx';
import { relay } from '../../state/actions.js';
import { toHex } from '../../crypto/index.js';
import { ActionButton, Address, CategoryBadges, Countdown, ErrorAlert, Loading } from '../../components/common.jsx';
import { navigate } from '../../util/route.js';
import { formatDuration } from '../../util/format.js';
import PatientView from './PatientView.jsx';
import { ScanAddressQr } from '../../components/qr.jsx';
import { PatientName } from '../../components/PatientName.jsx';
import { DoctorName } from '../../components/DoctorName.jsx';

function EncryptionKeyCard() {
  const { unlockEncryptionKey, encryptionKey } = useSession();
  const [error, setError] = useState(null);
  return (
    <Card className="mb-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">Not a verified doctor</Card.Title>
        <Card.Text>A registrar verifies doctors on chain. Give them your address and this encryption key (derived from your wallet's signature; only its public half is shown).</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {encryptionKey ? <code aria-label="Your encryption public key">{toHex(encryptionKey.publicKey)}</code> : <ActionButton onError={setError} action={unlockEncryptionKey}>Show my encryption key</ActionButton>}
      </Card.Body>
    </Card>
  );
}

function MyPatients({ me }) {
  const { api } = useSession();
  const { data, error, loading } = useLoad(() => api.get(`/v1/doctors/${me}/grants`), [me]);
  const active = (data?.grants ?? []).filter((g) => g.active);
  return (
    <>
      <h2 className="fs-5">Patients who granted you access</h2>
      <ErrorAlert error={error} />
      {loading && !data && <Loading what="Loading your patients" />}
      {data && active.length === 0 && <p className="text-secondary">No patient has granted you access yet. To ask for it, enter the patient's address under Find a patient (or scan the QR code their portal shows), then choose the categories, what you may do and for how long, and send the request: the patient sees it at once and approves or narrows it.</p>}
      {active.length > 0 && (
        <Table responsive hover aria-label="Your patients">
          <thead><tr><th>Patient</th><th>Categories</th><th>May</th><th>Expires</th><th><span className="visually-hidden">Open</span></th></tr></thead>
          <tbody>
            {active.map((g) => (
              <tr key={g.patient}>
                <td><PatientName address={g.patient} /></td>
                <td><CategoryBadges names={g.scope} /></td>
                <td>{g.permissions.join(', ')}</td>
                <td><Countdown until={g.expiry} /></td>
                <td><Button size="sm" onClick={() => navigate(`doctor/patient/${g.patient}`)} aria-label={`Open patient ${g.patient}`}>Open</Button></td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}

function MyRequests({ me }) {
  const { api, ctx } = useSession();
  const [error, setError] = useState(null);
  const { data, loading, reload } = useLoad(() => api.get(`/v1/doctors/${me}/requests`), [me]);
  const requests = [...(data?.requests ?? [])].reverse();
  return (
    <>
      <h2 className="fs-5">Your access requests</h2>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {loading && !data && <Loading />}
      {data && requests.length === 0 && <p className="text-secondary">None yet.</p>}
      {requests.length > 0 && (
        <Table responsive size="sm" aria-label="Your requests">
          <thead><tr><th>Patient</th><th>Categories</th><th>For</th><th>Status</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.requestId}>
                <td><PatientName address={r.patient} /></td>
                <td><CategoryBadges names={r.scope} /></td>
                <td>{formatDuration(r.duration)}</td>
                <td><Badge bg={{ pending: 'warning', approved: 'success' }[r.status] ?? 'secondary'} text={r.status === 'pending' ? 'dark' : undefined}>{r.status}</Badge></td>
                <td>{r.status === 'pending' && <ActionButton size="sm" variant="outline-secondary" onError={setError} action={async () => { await relay(ctx, 'cancelRequestBySig', { requestId: r.requestId }); reload(); }}>Cancel</ActionButton>}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}

function FindPatient() {
  const [address, setAddress] = useState('');
  const [error, setError] = useState(null);
  const valid = isAddress(address.trim());
  return (
    <Form onSubmit={(e) => { e.preventDefault(); if (valid) navigate(`doctor/patient/${getAddress(address.trim())}`); }} className="mb-3" style={{ maxWidth: 560 }}>
      <Form.Label htmlFor="find-patient">Find a patient by address</Form.Label>
      <InputGroup hasValidation>
        <Form.Control id="find-patient" value={address} onChange={(e) => setAddress(e.target.value)} placeholder="0x…" isInvalid={address !== '' && !valid} />
        <Button type="submit" disabled={!valid}>Find</Button>
        <Form.Control.Feedback type="invalid">Not an address (0x and 40 hex digits).</Form.Control.Feedback>
      </InputGroup>
      <ScanAddressQr onAddress={(found) => { setError(null); setAddress(found); navigate(`doctor/patient/${found}`); }} onError={setError} />
      <ErrorAlert error={error} onClose={() => setError(null)} />
    </Form>
  );
}

export default function DoctorPortal({ sub }) {
  const { me, session } = useSession();
  if (!me) return <Loading what="Reading your roles" />;
  const [section, patient] = sub;
  return (
    <>
      <h1 className="fs-3">Doctor {me.doctor && <Badge bg={me.doctor === 'verified' ? 'success' : 'danger'} className="fs-6 align-middle">{me.doctor}</Badge>}</h1>
      {me.doctor && <p className="text-secondary small">Signed in as <DoctorName address={session.address} /> <span className="visually-hidden">(your registrar's profile; without one, your address)</span></p>}
      {!me.doctor && <EncryptionKeyCard />}
      {me.doctor === 'suspended' && <Alert variant="danger">A registrar suspended you: you cannot read or add records until you are reinstated.</Alert>}
      {me.doctor && (
        <>
          <FindPatient />
          <Nav variant="tabs" className="mb-3" aria-label="Doctor sections">
            <Nav.Item><Nav.Link href="#/doctor" active={!section}>My patients</Nav.Link></Nav.Item>
            <Nav.Item><Nav.Link href="#/doctor/requests" active={section === 'requests'}>My requests</Nav.Link></Nav.Item>
            {section === 'patient' && <Nav.Item><Nav.Link active>Patient {patient.slice(0, 6)}…{patient.slice(-4)}</Nav.Link></Nav.Item>}
          </Nav>
          {!section && <MyPatients me={session.address} />}
          {section === 'requests' && <MyRequests me={session.address} />}
          {section === 'patient' && isAddress(patient) && <PatientView patient={getAddress(patient)} />}
        </>
      )}
    </>
  );
}
