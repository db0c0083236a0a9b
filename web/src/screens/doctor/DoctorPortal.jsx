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
import { formatDuration, shortAddress } from '../../util/format.js';
import PatientView from './PatientView.jsx';
import { ScanAddressQr } from '../../components/qr.jsx';
import { PatientName, usePatientDetails } from '../../components/PatientName.jsx';
import { formatPatient } from '../../state/patientDetails.js';
import { DoctorName } from '../../components/DoctorName.jsx';
import { T, t } from '../../i18n/index.js';

function EncryptionKeyCard() {
  const { unlockEncryptionKey, encryptionKey } = useSession();
  const [error, setError] = useState(null);
  return (
    <Card className="mb-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('doctor.key.title')}</Card.Title>
        <Card.Text>{t('doctor.key.explain')}</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {encryptionKey ? <code aria-label={t('doctor.key.publicKey')}>{toHex(encryptionKey.publicKey)}</code> : <ActionButton onError={setError} action={unlockEncryptionKey}>{t('doctor.key.show')}</ActionButton>}
      </Card.Body>
    </Card>
  );
}

// Patients' names are opened with the doctor's encryption key: while it is locked the lists
// show addresses, and this offers to unlock it (as the records view does for titles).
function UnlockNames({ shown }) {
  const { encryptionKey, unlockEncryptionKey } = useSession();
  const [error, setError] = useState(null);
  if (encryptionKey || !shown) return null;
  return (
    <>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <p className="small">
        {t('doctor.patients.namesLocked')}{' '}
        <ActionButton size="sm" variant="outline-primary" onError={setError} action={unlockEncryptionKey}>{t('doctor.patients.showNames')}</ActionButton>
      </p>
    </>
  );
}

// The open patient's tab: their name and birth date where the doctor may read them, else the
// short address.
function PatientTab({ patient }) {
  const details = usePatientDetails(patient);
  const label = details ? formatPatient(details) : shortAddress(patient);
  return <Nav.Item><Nav.Link active>{t('doctor.portal.patientTab', { patient: label })}</Nav.Link></Nav.Item>;
}

function MyPatients({ me }) {
  const { api } = useSession();
  const { data, error, loading } = useLoad(() => api.get(`/v1/doctors/${me}/grants`), [me]);
  const active = (data?.grants ?? []).filter((g) => g.active);
  return (
    <>
      <h2 className="fs-5">{t('doctor.patients.title')}</h2>
      <ErrorAlert error={error} />
      {loading && !data && <Loading what={t('doctor.patients.loading')} />}
      {data && active.length === 0 && <p className="text-secondary">{t('doctor.patients.empty')}</p>}
      <UnlockNames shown={active.length > 0} />
      {active.length > 0 && (
        <Table responsive hover aria-label={t('doctor.patients.table')}>
          <thead><tr><th>{t('doctor.patients.patient')}</th><th>{t('doctor.patients.categories')}</th><th>{t('doctor.patients.may')}</th><th>{t('doctor.patients.expires')}</th><th><span className="visually-hidden">{t('doctor.patients.open')}</span></th></tr></thead>
          <tbody>
            {active.map((g) => (
              <tr key={g.patient}>
                <td><PatientName address={g.patient} /></td>
                <td><CategoryBadges names={g.scope} /></td>
                <td>{g.permissions.map((p) => t(`doctor.permission.${p}`)).join(', ')}</td>
                <td><Countdown until={g.expiry} /></td>
                <td><Button size="sm" onClick={() => navigate(`doctor/patient/${g.patient}`)} aria-label={t('doctor.patients.openPatient', { address: g.patient })}>{t('doctor.patients.open')}</Button></td>
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
      <h2 className="fs-5">{t('doctor.requests.title')}</h2>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {loading && !data && <Loading />}
      {data && requests.length === 0 && <p className="text-secondary">{t('doctor.requests.empty')}</p>}
      <UnlockNames shown={requests.length > 0} />
      {requests.length > 0 && (
        <Table responsive size="sm" aria-label={t('doctor.requests.table')}>
          <thead><tr><th>{t('doctor.requests.patient')}</th><th>{t('doctor.requests.categories')}</th><th>{t('doctor.requests.for')}</th><th>{t('doctor.requests.status')}</th><th><span className="visually-hidden">{t('doctor.requests.actions')}</span></th></tr></thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.requestId}>
                <td><PatientName address={r.patient} /></td>
                <td><CategoryBadges names={r.scope} /></td>
                <td>{formatDuration(r.duration)}</td>
                <td><Badge bg={{ pending: 'warning', approved: 'success' }[r.status] ?? 'secondary'} text={r.status === 'pending' ? 'dark' : undefined}>{t(`doctor.requests.status.${r.status}`)}</Badge></td>
                <td>{r.status === 'pending' && <ActionButton size="sm" variant="outline-secondary" onError={setError} action={async () => { await relay(ctx, 'cancelRequestBySig', { requestId: r.requestId }); reload(); }}>{t('doctor.requests.cancel')}</ActionButton>}</td>
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
      <Form.Label htmlFor="find-patient">{t('doctor.find.label')}</Form.Label>
      <InputGroup hasValidation>
        <Form.Control id="find-patient" value={address} onChange={(e) => setAddress(e.target.value)} placeholder="0x…" isInvalid={address !== '' && !valid} />
        <Button type="submit" disabled={!valid}>{t('doctor.find.submit')}</Button>
        <Form.Control.Feedback type="invalid">{t('doctor.find.invalid')}</Form.Control.Feedback>
      </InputGroup>
      <ScanAddressQr onAddress={(found) => { setError(null); setAddress(found); navigate(`doctor/patient/${found}`); }} onError={setError} />
      <ErrorAlert error={error} onClose={() => setError(null)} />
    </Form>
  );
}

export default function DoctorPortal({ sub }) {
  const { me, session } = useSession();
  if (!me) return <Loading what={t('doctor.portal.readingRoles')} />;
  const [section, patient] = sub;
  return (
    <>
      <h1 className="fs-3">{t('doctor.portal.title')} {me.doctor && <Badge bg={me.doctor === 'verified' ? 'success' : 'danger'} className="fs-6 align-middle">{t(`doctor.status.${me.doctor}`)}</Badge>}</h1>
      {me.doctor && <p className="text-secondary small"><T id="doctor.portal.signedInAs" values={{ name: <DoctorName address={session.address} /> }} /> <span className="visually-hidden">{t('doctor.portal.signedInAsNote')}</span></p>}
      {!me.doctor && <EncryptionKeyCard />}
      {me.doctor === 'suspended' && <Alert variant="danger">{t('doctor.portal.suspended')}</Alert>}
      {me.doctor && (
        <>
          <FindPatient />
          <Nav variant="tabs" className="mb-3" aria-label={t('doctor.portal.sections')}>
            <Nav.Item><Nav.Link href="#/doctor" active={!section}>{t('doctor.portal.myPatients')}</Nav.Link></Nav.Item>
            <Nav.Item><Nav.Link href="#/doctor/requests" active={section === 'requests'}>{t('doctor.portal.myRequests')}</Nav.Link></Nav.Item>
            {section === 'patient' && patient && <PatientTab patient={isAddress(patient) ? getAddress(patient) : patient} />}
          </Nav>
          {!section && <MyPatients me={session.address} />}
          {section === 'requests' && <MyRequests me={session.address} />}
          {section === 'patient' && isAddress(patient) && <PatientView patient={getAddress(patient)} />}
        </>
      )}
    </>
  );
}
