// The emergency policy (may a verified doctor open a time-boxed window, for how long at most,
// and how long a doctor whose window ended waits before opening another), the open windows (end
// one early; turning the policy off ends them all), and the guardians who manage the file too
// and read it: adding one shares the existing record keys with them (actions.addGuardian); the
// escrow (EscrowSettings) and the recovery of a lost wallet by the guardians (RecoveryCard).
import { DoctorName } from '../../components/DoctorName.jsx';
import EscrowSettings from './EscrowSettings.jsx';
import RecoveryCard from './RecoveryCard.jsx';
import { useEffect, useState } from 'react';
import { Badge, Card, Col, Form, ListGroup, Row } from 'react-bootstrap';
import { isAddress, getAddress } from 'ethers';
import { useSession, useLoad } from '../../state/session.jsx';
import { addGuardian, describeGuardian, relay } from '../../state/actions.js';
import { REASON_CODES } from '../../chain/scopes.js';
import { ActionButton, Address, Countdown, ErrorAlert, Loading } from '../../components/common.jsx';
import { t } from '../../i18n/index.js';

const WINDOWS = [3600, 6 * 3600, 24 * 3600, 72 * 3600];
const COOLDOWNS = [0, 3600, 6 * 3600, 24 * 3600];

// `actsAsPatient`: the caller is the patient, or the address a recovery moved the patient to.
export default function EmergencyTab({ patient, isSelf, actsAsPatient = isSelf }) {
  const { api, ctx, toast, unlockEncryptionKey } = useSession();
  const info = useLoad(() => api.get(`/v1/patients/${patient}`), [patient]);
  const windows = useLoad(() => api.get(`/v1/patients/${patient}/emergency`), [patient]);
  const [allowed, setAllowed] = useState(false);
  const [maxWindow, setMaxWindow] = useState(24 * 3600);
  const [cooldown, setCooldown] = useState(0);
  const [guardian, setGuardian] = useState('');
  const [error, setError] = useState(null);
  useEffect(() => {
    if (!info.data) return;
    setAllowed(info.data.emergencyPolicy.allowed);
    if (info.data.emergencyPolicy.maxWindow) setMaxWindow(info.data.emergencyPolicy.maxWindow);
    setCooldown(info.data.emergencyPolicy.cooldown ?? 0);
  }, [info.data]);
  const open = (windows.data?.windows ?? []).filter((w) => w.open);

  return (
    <Row className="g-3">
      <Col lg={6}>
        <Card className="mb-3">
          <Card.Body>
            <Card.Title as="h2" className="fs-5">{t('patient.emergency.title')}</Card.Title>
            {info.loading && !info.data && <Loading />}
            <ErrorAlert error={info.error ?? error} onClose={() => setError(null)} />
            <Form.Check type="switch" id="emergency-allowed" className="mb-2" label={t('patient.emergency.allow')} checked={allowed} onChange={(e) => setAllowed(e.target.checked)} />
            {!allowed && open.length > 0 && <Form.Text as="p" className="text-danger">{t('patient.emergency.savingEnds', { count: open.length })}</Form.Text>}
            <Form.Group className="mb-3" controlId="emergency-window">
              <Form.Label>{t('patient.emergency.atMost')}</Form.Label>
              <Form.Select value={maxWindow} disabled={!allowed} onChange={(e) => setMaxWindow(Number(e.target.value))}>
                {WINDOWS.map((s) => <option key={s} value={s}>{t('patient.emergency.hours', { count: s / 3600 })}</option>)}
              </Form.Select>
            </Form.Group>
            <Form.Group className="mb-3" controlId="emergency-cooldown">
              <Form.Label>{t('patient.emergency.cooldown')}</Form.Label>
              <Form.Select value={cooldown} disabled={!allowed} onChange={(e) => setCooldown(Number(e.target.value))}>
                {COOLDOWNS.map((s) => <option key={s} value={s}>{s === 0 ? t('patient.emergency.noCooldown') : t('patient.emergency.hours', { count: s / 3600 })}</option>)}
              </Form.Select>
            </Form.Group>
            <ActionButton onError={setError} action={async () => { await relay(ctx, 'setEmergencyPolicyBySig', { patient, allowed, maxWindow: allowed ? maxWindow : 0, cooldown }); toast(t('patient.emergency.saved'), 'success'); info.reload(); windows.reload(); }}>
              {t('patient.emergency.save')}
            </ActionButton>
            <h3 className="fs-6 mt-4">{t('patient.emergency.openWindows')}</h3>
            {open.length === 0 && <p className="text-secondary mb-0">{t('patient.emergency.noneOpen')}</p>}
            <ListGroup>
              {open.map((w) => (
                <ListGroup.Item key={w.doctor} className="d-flex flex-wrap gap-2 align-items-center">
                  <Badge bg="danger">{t('patient.emergency.badge')}</Badge> <DoctorName address={w.doctor} profile={w.doctorProfile} />
                  <span className="small">{REASON_CODES.find((r) => r.code === w.reasonCode)?.label}</span>
                  <Countdown until={w.until} />
                  <ActionButton size="sm" variant="outline-danger" className="ms-auto" onError={setError} action={async () => { await relay(ctx, 'endEmergencyAccessBySig', { patient, doctor: w.doctor }); windows.reload(); }}>{t('patient.emergency.end')}</ActionButton>
                </ListGroup.Item>
              ))}
            </ListGroup>
          </Card.Body>
        </Card>
      </Col>
      <Col lg={6}>
        <Card>
          <Card.Body>
            <Card.Title as="h2" className="fs-5">{t('patient.guardians.title')}</Card.Title>
            <Card.Text className="small text-secondary">{t('patient.guardians.explain')}</Card.Text>
            {(info.data?.guardians ?? []).length === 0 && <p className="text-secondary">{t('patient.guardians.none')}</p>}
            <ListGroup className="mb-3">
              {(info.data?.guardians ?? []).map((g) => (
                <ListGroup.Item key={g} className="d-flex align-items-center">
                  <Address value={g} label={t('patient.guardians.addressLabel')} />
                  {isSelf && <ActionButton size="sm" variant="outline-danger" className="ms-auto" onError={setError} action={async () => { await relay(ctx, 'removeGuardianBySig', { patient, guardian: g }); info.reload(); }}>{t('patient.guardians.remove')}</ActionButton>}
                </ListGroup.Item>
              ))}
            </ListGroup>
            {isSelf && (
              <Form onSubmit={(e) => e.preventDefault()}>
                <Form.Group className="mb-2" controlId="guardian-address">
                  <Form.Label>{t('patient.guardians.address')}</Form.Label>
                  <Form.Control value={guardian} onChange={(e) => setGuardian(e.target.value)} placeholder="0x…" isInvalid={guardian !== '' && !isAddress(guardian)} />
                  <Form.Control.Feedback type="invalid">{t('patient.guardians.notAddress')}</Form.Control.Feedback>
                </Form.Group>
                <ActionButton disabled={!isAddress(guardian)} onError={setError} action={async () => { const added = await addGuardian(ctx, { patient, guardian: getAddress(guardian) }, unlockEncryptionKey); setGuardian(''); toast(describeGuardian(added), added.hasKey ? 'success' : 'warning'); info.reload(); }}>
                  {t('patient.guardians.add')}
                </ActionButton>
              </Form>
            )}
          </Card.Body>
        </Card>
        <EscrowSettings patient={patient} isSelf={isSelf} />
        <RecoveryCard patient={patient} actsAsPatient={actsAsPatient} guardians={(info.data?.guardians ?? []).length} />
      </Col>
    </Row>
  );
}
