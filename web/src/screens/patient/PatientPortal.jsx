// The patient's portal: registration, then records, requests, grants, the emergency summary,
// emergency & guardians and the audit trail. A guardian manages the patients they are guardian of from here too.
import { useEffect, useState } from 'react';
import { Alert, Card, Form, Nav } from 'react-bootstrap';
import { toHex } from '../../crypto/index.js';
import { useSession } from '../../state/session.jsx';
import { relay } from '../../state/actions.js';
import { loadPatientDetails } from '../../state/patientDetails.js';
import { confirmedControlled } from '../../state/recovery.js';
import { ActionButton, Address, ErrorAlert, Loading } from '../../components/common.jsx';
import { navigate } from '../../util/route.js';
import { shortAddress } from '../../util/format.js';
import RecordTimeline from '../records/RecordTimeline.jsx';
import AddRecordForm from '../records/AddRecordForm.jsx';
import RequestsTab from './RequestsTab.jsx';
import GrantsTab from './GrantsTab.jsx';
import EmergencyTab from './EmergencyTab.jsx';
import EmergencySummaryTab from './EmergencySummaryTab.jsx';
import AuditTab from './AuditTab.jsx';
import KeyTab from './KeyTab.jsx';
import TransferTab from './TransferTab.jsx';
import DetailsTab from './DetailsTab.jsx';
import RestoreCard from './RestoreCard.jsx';
import { ShowAddressQr } from '../../components/qr.jsx';
import { T, t } from '../../i18n/index.js';

const TABS = [
  { id: 'records', label: 'patient.tab.records' },
  { id: 'add', label: 'patient.tab.add' },
  { id: 'requests', label: 'patient.tab.requests' },
  { id: 'grants', label: 'patient.tab.grants' },
  { id: 'summary', label: 'emergencySummary.tab' },
  { id: 'emergency', label: 'patient.tab.emergency' },
  { id: 'audit', label: 'patient.tab.audit' },
  { id: 'transfer', label: 'patient.tab.transfer' },
  { id: 'details', label: 'patient.tab.details' },
  { id: 'key', label: 'patient.tab.key', selfOnly: true },
];

function RegisterCard() {
  const { ctx, wallet, unlockEncryptionKey, refreshMe, toast } = useSession();
  const [error, setError] = useState(null);
  return (
    <Card className="mb-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('patient.register.title')}</Card.Title>
        <Card.Text>{t('patient.register.explain')}</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <ActionButton
          onError={setError}
          action={async () => {
            const pair = await unlockEncryptionKey();
            await relay(ctx, 'registerPatientBySig', { patient: wallet.address, encryptionKey: toHex(pair.publicKey) });
            await refreshMe();
            toast(t('patient.register.done'), 'success');
          }}
        >
          {t('patient.register.button')}
        </ActionButton>
      </Card.Body>
    </Card>
  );
}

// The wards' details (name, birth date) by address, for those whose Patient record the guardian
// can open: a guardian is sealed the ward's record keys, so it opens like the doctor's list does.
// Loaded when the wards or the key change, not on every feed message (each key read is audited).
function useWardDetails(wards) {
  const { ctx, encryptionKey } = useSession();
  const [details, setDetails] = useState({});
  const key = wards.join();
  useEffect(() => {
    let live = true;
    if (!encryptionKey || wards.length === 0) return undefined;
    Promise.all(wards.map((ward) => loadPatientDetails(ctx, ward).then((r) => [ward, r.details], () => [ward, null]))).then(
      (found) => live && setDetails(Object.fromEntries(found)),
    );
    return () => { live = false; };
    // ctx is a new object every render; what the load reads is the wards and the key.
  }, [key, encryptionKey]);
  return encryptionKey ? details : {};
}

// The patients a recovery moved to this address, as the chain confirms them (state/recovery.js).
function useControlledPatients(listed) {
  const { ctx, session } = useSession();
  const [confirmed, setConfirmed] = useState([]);
  const key = listed.join();
  useEffect(() => {
    let live = true;
    confirmedControlled(ctx.chain, listed, session.address).then(
      (found) => live && setConfirmed(found),
      () => live && setConfirmed([]),
    );
    return () => { live = false; };
    // ctx is a new object every render; what the check reads is the list and the chain.
  }, [key, ctx.chain, session.address]);
  return confirmed;
}

// A ward as the selector names them: name and birth date when readable, else the short address.
function wardLabel(address, details) {
  if (details?.name && details.birthDate) return t('patient.portal.wardBorn', { name: details.name, birthDate: details.birthDate });
  return t('patient.portal.ward', { name: details?.name || shortAddress(address) });
}

export default function PatientPortal({ sub }) {
  const { me, session } = useSession();
  const [managing, setManaging] = useState(session.address);
  const wardDetails = useWardDetails(me?.guardianOf ?? []);
  const controlled = useControlledPatients(me?.controllerOf ?? []);
  const tab = TABS.find((x) => x.id === sub[0]) ?? TABS[0];
  if (!me) return <Loading what={t('patient.portal.loadingRoles')} />;
  const patients = [...(me.patient ? [session.address] : []), ...controlled, ...me.guardianOf];
  const patient = patients.includes(managing) ? managing : patients[0];
  const label = (p) => {
    if (p === session.address) return t('patient.portal.myself');
    if (controlled.includes(p)) return t('patient.portal.recovered', { address: shortAddress(p) });
    return wardLabel(p, wardDetails[p]);
  };
  return (
    <>
      <h1 className="fs-3">{t('patient.portal.heading')}</h1>
      {!me.patient && controlled.length === 0 && <RegisterCard />}
      {controlled.includes(patient) && (
        <>
          <Alert variant="info">
            <T id="patient.portal.actingAfterRecovery" values={{ address: <Address value={patient} label={t('patient.portal.addressLabel')} /> }} />
          </Alert>
          <RestoreCard patient={patient} />
        </>
      )}
      {(me.guardianOf.length > 0 || controlled.length > 0) && (
        <Form.Group className="mb-3" controlId="managing" style={{ maxWidth: 420 }}>
          <Form.Label>{t('patient.portal.managing')}</Form.Label>
          <Form.Select value={patient} onChange={(e) => setManaging(e.target.value)}>
            {patients.map((p) => <option key={p} value={p}>{label(p)}</option>)}
          </Form.Select>
        </Form.Group>
      )}
      {patient && (
        <>
          <p className="text-secondary small d-flex align-items-center gap-2">
            <T id="patient.portal.current" values={{ address: <Address value={patient} label={t('patient.portal.addressLabel')} /> }} /> <ShowAddressQr address={patient} />
          </p>
          <Nav variant="tabs" className="mb-3 flex-nowrap overflow-auto" aria-label={t('patient.portal.sections')}>
            {TABS.filter((x) => !x.selfOnly || patient === session.address).map((x) => (
              <Nav.Item key={x.id}>
                <Nav.Link active={x.id === tab.id} onClick={() => navigate(`patient/${x.id}`)} href={`#/patient/${x.id}`} className="text-nowrap">{t(x.label)}</Nav.Link>
              </Nav.Item>
            ))}
          </Nav>
          {tab.id === 'records' && <RecordTimeline patient={patient} canUpdate canCorrectCategory emptyText={t('patient.portal.noRecords')} />}
          {tab.id === 'add' && <AddRecordForm patient={patient} onAdded={() => navigate('patient/records')} />}
          {tab.id === 'requests' && <RequestsTab patient={patient} />}
          {tab.id === 'grants' && <GrantsTab patient={patient} />}
          {tab.id === 'summary' && <EmergencySummaryTab patient={patient} />}
          {tab.id === 'emergency' && <EmergencyTab patient={patient} isSelf={patient === session.address} actsAsPatient={patient === session.address || controlled.includes(patient)} />}
          {tab.id === 'audit' && <AuditTab patient={patient} />}
          {tab.id === 'transfer' && <TransferTab patient={patient} />}
          {tab.id === 'details' && <DetailsTab patient={patient} />}
          {tab.id === 'key' && patient === session.address && <KeyTab />}
        </>
      )}
      {!patient && me.patient === false && <Alert variant="info">{t('patient.portal.registerToKeep')}</Alert>}
    </>
  );
}
