// Lost-wallet recovery (state/recoverySteps.js): the patient sets how many guardians must approve
// a new address and the delay in which their key can cancel, and cancels a recovery they did not
// ask for; a guardian approves a new address for a ward who lost their wallet and executes it
// once the delay has passed. Every figure shown is read from the chain.
import { useState } from 'react';
import { Card, Form } from 'react-bootstrap';
import { isAddress } from 'ethers';
import { useLoad, useSession } from '../../state/session.jsx';
import {
  DEFAULT_DELAY_HOURS, approveRecovery, cancelRecoveries, executeRecovery, recoveryStage, setRecoveryPolicy,
} from '../../state/recoverySteps.js';
import { ActionButton, ErrorAlert, Loading } from '../../components/common.jsx';
import { t } from '../../i18n/index.js';

function delayHours(policy) {
  return policy.delay === 0 ? DEFAULT_DELAY_HOURS : policy.delay / 3600;
}

function PolicyText({ policy, guardians }) {
  if (policy.threshold === 0) return <Card.Text>{t('recovery.policy.off')}</Card.Text>;
  return <Card.Text>{t('recovery.policy.inForce', { threshold: policy.threshold, guardians, hours: delayHours(policy) })}</Card.Text>;
}

// The patient's side: the policy and the cancel.
function PatientRecovery({ patient, policy, guardians, reload }) {
  const { ctx, toast } = useSession();
  const [threshold, setThreshold] = useState(String(policy.threshold || Math.min(2, guardians)));
  const [hours, setHours] = useState(String(delayHours(policy)));
  const [error, setError] = useState(null);
  return (
    <>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <Form onSubmit={(e) => e.preventDefault()}>
        <Form.Group className="mb-2" controlId="recovery-threshold">
          <Form.Label>{t('recovery.policy.threshold', { guardians })}</Form.Label>
          <Form.Control type="number" min={0} max={guardians} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </Form.Group>
        <Form.Group className="mb-2" controlId="recovery-delay">
          <Form.Label>{t('recovery.policy.delay')}</Form.Label>
          <Form.Control type="number" min={24} max={720} value={hours} onChange={(e) => setHours(e.target.value)} />
        </Form.Group>
        <ActionButton
          onError={setError}
          action={async () => {
            await setRecoveryPolicy(ctx, patient, { threshold: Number(threshold), delayHours: Number(hours) });
            toast(t('recovery.policy.saved'), 'success');
            reload();
          }}
        >
          {t('recovery.policy.save')}
        </ActionButton>
      </Form>
      <p className="small text-secondary mt-3 mb-2">{t('recovery.cancel.explain')}</p>
      <ActionButton
        variant="outline-danger"
        onError={setError}
        action={async () => {
          await cancelRecoveries(ctx, patient);
          toast(t('recovery.cancel.done'), 'success');
          reload();
        }}
      >
        {t('recovery.cancel.button')}
      </ActionButton>
    </>
  );
}

// A guardian's side: approve a new address for the ward, then execute.
function GuardianRecovery({ patient }) {
  const { ctx, toast } = useSession();
  const [address, setAddress] = useState('');
  const [error, setError] = useState(null);
  const valid = isAddress(address);
  const status = useLoad(async () => {
    if (!valid || !ctx.chain) return null;
    const found = await ctx.chain.recoveryStatus(patient, address);
    return { ...found, stage: recoveryStage(found, await ctx.chain.now()) };
  }, [patient, address, valid]);
  const s = status.data;
  return (
    <>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <Form onSubmit={(e) => e.preventDefault()}>
        <Form.Group className="mb-2" controlId="recovery-new-address">
          <Form.Label>{t('recovery.guardian.newAddress')}</Form.Label>
          <Form.Control value={address} onChange={(e) => setAddress(e.target.value.trim())} placeholder="0x…" isInvalid={address !== '' && !valid} />
          <Form.Control.Feedback type="invalid">{t('recovery.guardian.notAddress')}</Form.Control.Feedback>
        </Form.Group>
      </Form>
      <p className="small mb-2" role="status" style={{ minHeight: '1.5em' }}>
        {s && t(`recovery.stage.${s.stage}`, { approvals: s.approvals, threshold: s.threshold, time: new Date(s.readyAt * 1000).toLocaleString() })}
      </p>
      <div className="d-flex gap-2 flex-wrap">
        <ActionButton
          disabled={!valid}
          onError={setError}
          action={async () => {
            const after = await approveRecovery(ctx, patient, address);
            toast(t('recovery.guardian.approved', after), 'success');
            status.reload();
          }}
        >
          {t('recovery.guardian.approve')}
        </ActionButton>
        <ActionButton
          variant="outline-primary"
          disabled={!valid || s?.stage !== 'ready'}
          onError={setError}
          action={async () => {
            await executeRecovery(ctx, patient, address);
            toast(t('recovery.guardian.executed'), 'success');
            status.reload();
          }}
        >
          {t('recovery.guardian.execute')}
        </ActionButton>
      </div>
    </>
  );
}

export default function RecoveryCard({ patient, actsAsPatient, guardians }) {
  const { ctx } = useSession();
  const policy = useLoad(async () => (ctx.chain ? ctx.chain.recoveryPolicy(patient) : null), [patient, !!ctx.chain]);
  return (
    <Card className="mt-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('recovery.title')}</Card.Title>
        {!ctx.chain && <Card.Text className="text-secondary">{t('recovery.needsChain')}</Card.Text>}
        {policy.loading && !policy.data && ctx.chain && <Loading />}
        <ErrorAlert error={policy.error} />
        {policy.data && <PolicyText policy={policy.data} guardians={guardians} />}
        {policy.data && actsAsPatient && <PatientRecovery patient={patient} policy={policy.data} guardians={guardians} reload={policy.reload} />}
        {policy.data && !actsAsPatient && <GuardianRecovery patient={patient} />}
      </Card.Body>
    </Card>
  );
}
