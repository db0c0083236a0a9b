// The patient's portal: registration, then records, requests, grants, emergency & guardians and
// the audit trail. A guardian manages the patients they are guardian of from here too.
import { useState } from 'react';
import { Alert, Card, Form, Nav } from 'react-bootstrap';
import { toHex } from '../../crypto/index.js';
import { useSession } from '../../state/session.jsx';
import { relay } from '../../state/actions.js';
import { ActionButton, Address, ErrorAlert, Loading } from '../../components/common.jsx';
import { navigate } from '../../util/route.js';
import RecordTimeline from '../records/RecordTimeline.jsx';
import AddRecordForm from '../records/AddRecordForm.jsx';
import RequestsTab from './RequestsTab.jsx';
import GrantsTab from './GrantsTab.jsx';
import EmergencyTab from './EmergencyTab.jsx';
import AuditTab from './AuditTab.jsx';
import KeyTab from './KeyTab.jsx';
import TransferTab from './TransferTab.jsx';
import DetailsTab from './DetailsTab.jsx';
import { ShowAddressQr } from '../../components/qr.jsx';

const TABS = [
  { id: 'records', label: 'Records' },
  { id: 'add', label: 'Add record' },
  { id: 'requests', label: 'Requests' },
  { id: 'grants', label: 'Access' },
  { id: 'emergency', label: 'Emergency & guardians' },
  { id: 'audit', label: 'Audit trail' },
  { id: 'transfer', label: 'Export & import' },
  { id: 'details', label: 'My details' },
  { id: 'key', label: 'Encryption key', selfOnly: true },
];

function RegisterCard() {
  const { ctx, wallet, unlockEncryptionKey, refreshMe, toast } = useSession();
  const [error, setError] = useState(null);
  return (
    <Card className="mb-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">Register as a patient</Card.Title>
        <Card.Text>
          Your wallet signs two messages: one derives your encryption key (only its public half goes on chain), the
          other registers you. The node pays the gas.
        </Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <ActionButton
          onError={setError}
          action={async () => {
            const pair = await unlockEncryptionKey();
            await relay(ctx, 'registerPatientBySig', { patient: wallet.address, encryptionKey: toHex(pair.publicKey) });
            await refreshMe();
            toast('You are registered', 'success');
          }}
        >
          Register
        </ActionButton>
      </Card.Body>
    </Card>
  );
}

export default function PatientPortal({ sub }) {
  const { me, session } = useSession();
  const [managing, setManaging] = useState(session.address);
  const tab = TABS.find((t) => t.id === sub[0]) ?? TABS[0];
  if (!me) return <Loading what="Reading your roles" />;
  const patients = [...(me.patient ? [session.address] : []), ...me.guardianOf];
  const patient = patients.includes(managing) ? managing : patients[0];
  return (
    <>
      <h1 className="fs-3">Patient</h1>
      {!me.patient && <RegisterCard />}
      {me.guardianOf.length > 0 && (
        <Form.Group className="mb-3" controlId="managing" style={{ maxWidth: 420 }}>
          <Form.Label>Managing the file of</Form.Label>
          <Form.Select value={patient} onChange={(e) => setManaging(e.target.value)}>
            {patients.map((p) => <option key={p} value={p}>{p === session.address ? 'myself' : `${p.slice(0, 6)}…${p.slice(-4)} (as guardian)`}</option>)}
          </Form.Select>
        </Form.Group>
      )}
      {patient && (
        <>
          <p className="text-secondary small d-flex align-items-center gap-2">
            Patient <Address value={patient} label="patient" /> <ShowAddressQr address={patient} />
          </p>
          <Nav variant="tabs" className="mb-3 flex-nowrap overflow-auto" aria-label="Patient sections">
            {TABS.filter((t) => !t.selfOnly || patient === session.address).map((t) => (
              <Nav.Item key={t.id}>
                <Nav.Link active={t.id === tab.id} onClick={() => navigate(`patient/${t.id}`)} href={`#/patient/${t.id}`} className="text-nowrap">{t.label}</Nav.Link>
              </Nav.Item>
            ))}
          </Nav>
          {tab.id === 'records' && <RecordTimeline patient={patient} canUpdate canCorrectCategory emptyText="No records yet. To add your first, open Add record: fill in a lab result, a medication, an allergy or a note, or drop a file (an X-ray, a PDF). It is encrypted in this browser before it is sent. A doctor you grant append access can add records too." />}
          {tab.id === 'add' && <AddRecordForm patient={patient} onAdded={() => navigate('patient/records')} />}
          {tab.id === 'requests' && <RequestsTab patient={patient} />}
          {tab.id === 'grants' && <GrantsTab patient={patient} />}
          {tab.id === 'emergency' && <EmergencyTab patient={patient} isSelf={patient === session.address} />}
          {tab.id === 'audit' && <AuditTab patient={patient} />}
          {tab.id === 'transfer' && <TransferTab patient={patient} />}
          {tab.id === 'details' && <DetailsTab patient={patient} />}
          {tab.id === 'key' && patient === session.address && <KeyTab />}
        </>
      )}
      {!patient && me.patient === false && <Alert variant="info">Register to keep records here.</Alert>}
    </>
  );
}
