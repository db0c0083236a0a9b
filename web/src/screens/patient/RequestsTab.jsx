// Access requests to the patient: the doctor's reason, opened with the patient's key and checked
// against the hash on chain; approve with a chosen scope, permissions and duration (never more
// than asked), or deny. Approving also shares the keys of existing records in the scope.
import { DoctorName } from '../../components/DoctorName.jsx';
import { useEffect, useState } from 'react';
import { getAddress } from 'ethers';
import { Alert, Badge, Button, Card, Col, Row } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { approveRequest, describeSharing, relay } from '../../state/actions.js';
import { requestReason } from '../../state/reasons.js';
import { permissionsMask, scopeMask } from '../../chain/scopes.js';
import { ActionButton, CategoryBadges, DurationSelect, ErrorAlert, Loading, PermissionChecks, ScopePicker } from '../../components/common.jsx';
import { formatDuration } from '../../util/format.js';
import { permissionWord } from './words.js';
import { T, currentLanguage, t } from '../../i18n/index.js';

// A request's status as the node names it (store/index_store.cpp), in words.
const STATUS_IDS = {
  pending: 'patient.requests.status.pending',
  approved: 'patient.requests.status.approved',
  denied: 'patient.requests.status.denied',
  cancelled: 'patient.requests.status.cancelled',
};

// The reason of `request` as requestReason (state/reasons.js) judges it, once the patient's key is
// in memory: opening a note needs it, and deriving it is a wallet signature, so a note waits for
// the patient to ask (or for the key to be unlocked by another action). A note is sealed to the
// patient alone, so a guardian looking at a ward's requests is told so rather than refused.
function useRequestReason(request, byPatient) {
  const { ctx, encryptionKey } = useSession();
  const [reason, setReason] = useState(null);
  const sealedToOther = Boolean(request.sealedReason) && !byPatient;
  const needsKey = Boolean(request.sealedReason) && !encryptionKey;
  useEffect(() => {
    if (sealedToOther || needsKey) return undefined;
    let live = true;
    requestReason(ctx, request, encryptionKey ? [encryptionKey] : []).then((judged) => live && setReason(judged));
    return () => {
      live = false;
    };
  }, [request.requestId, request.reasonHash, request.sealedReason, encryptionKey, ctx.chain, sealedToOther, needsKey]);
  if (sealedToOther) return { kind: 'patientOnly' };
  return needsKey ? { kind: 'locked' } : reason;
}

function RequestReason({ request, byPatient }) {
  const { unlockEncryptionKey } = useSession();
  const [error, setError] = useState(null);
  const reason = useRequestReason(request, byPatient);
  if (!reason) return <p className="mb-1 text-secondary">{t('patient.requests.reasonOpening')}</p>;
  switch (reason.kind) {
    case 'patientOnly':
      return <p className="mb-1"><T id="patient.requests.reasonIs" values={{ reason: <span className="text-secondary">{t('patient.requests.reasonPatientOnly')}</span> }} /></p>;
    case 'none':
      return <p className="mb-1"><T id="patient.requests.reasonIs" values={{ reason: <span className="text-secondary">{t('patient.requests.reasonNone')}</span> }} /></p>;
    case 'missing':
      return <p className="mb-1"><T id="patient.requests.reasonIs" values={{ reason: <span className="text-secondary">{t('patient.requests.reasonMissing')}</span> }} /></p>;
    case 'locked':
      return (
        <div className="mb-1">
          <T id="patient.requests.reasonIs" values={{ reason: <span className="text-secondary">{t('patient.requests.reasonLocked')}</span> }} />{' '}
          <ActionButton size="sm" variant="outline-primary" onError={setError} action={unlockEncryptionKey}>{t('patient.requests.openWithKey')}</ActionButton>
          <ErrorAlert error={error} onClose={() => setError(null)} />
        </div>
      );
    case 'opened':
      return (
        <p className="mb-1">
          <span className="text-break">{t('patient.requests.reasonIs', { reason: reason.text })}</span>{' '}
          {reason.checkedAgainstChain ? <Badge bg="success">{t('patient.requests.checked')}</Badge> : <Badge bg="secondary">{t('patient.requests.notChecked')}</Badge>}
        </p>
      );
    default:
      return <Alert variant="danger" className="py-2 mb-2" role="alert">{t('patient.requests.reasonNotShown', { error: reason.error })}</Alert>;
  }
}

function Decide({ request, patient, onDone }) {
  const { ctx, unlockEncryptionKey, toast } = useSession();
  const [scope, setScope] = useState(request.scope);
  const [permissions, setPermissions] = useState(request.permissions);
  const [duration, setDuration] = useState(request.duration);
  const [error, setError] = useState(null);
  const id = `req-${request.requestId}`;
  return (
    <>
      <ScopePicker id={`${id}-scope`} value={scope} onChange={setScope} legend={t('patient.requests.allow')} />
      <PermissionChecks id={`${id}-perm`} value={permissions} onChange={setPermissions} />
      <DurationSelect id={`${id}-duration`} value={duration} onChange={setDuration} label={t('patient.requests.for')} />
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <div className="d-flex gap-2">
        <ActionButton
          variant="success"
          onError={setError}
          disabled={!permissions.includes('read') || scope.length === 0}
          action={async () => {
            const approval = { patient, request, scope: scopeMask(scope), permissions: permissionsMask(permissions), duration };
            const sharing = await approveRequest(ctx, approval, unlockEncryptionKey);
            toast(describeSharing(t('patient.requests.approved'), sharing), sharing.unstated ? 'warning' : 'success');
            onDone();
          }}
        >
          {t('patient.requests.approve')}
        </ActionButton>
        <ActionButton
          variant="outline-danger"
          onError={setError}
          action={async () => {
            await relay(ctx, 'denyRequestBySig', { requestId: request.requestId });
            toast(t('patient.requests.denied'), 'secondary');
            onDone();
          }}
        >
          {t('patient.requests.deny')}
        </ActionButton>
      </div>
    </>
  );
}

export default function RequestsTab({ patient }) {
  const { api, session } = useSession();
  const byPatient = getAddress(patient) === getAddress(session.address);
  const { data, error, loading, reload } = useLoad(() => api.get(`/v1/patients/${patient}/requests`), [patient]);
  const [showAll, setShowAll] = useState(false);
  const requests = (data?.requests ?? []).filter((r) => showAll || r.status === 'pending').reverse();
  return (
    <>
      <div className="d-flex align-items-center mb-2">
        <h2 className="fs-5 mb-0">{t('patient.requests.title')}</h2>
        <Button size="sm" variant="link" onClick={() => setShowAll(!showAll)}>{showAll ? t('patient.requests.pendingOnly') : t('patient.requests.showDecided')}</Button>
      </div>
      <ErrorAlert error={error} />
      {loading && !data && <Loading what={t('patient.requests.loading')} />}
      {data && requests.length === 0 && <p className="text-secondary">{showAll ? t('patient.requests.none') : t('patient.requests.nonePending')}</p>}
      <Row className="g-3">
        {requests.map((r) => (
          <Col lg={6} key={r.requestId}>
            <Card aria-label={t('patient.requests.from', { doctor: r.doctor })}>
              <Card.Body>
                <Card.Title className="fs-6">
                  <T id="patient.requests.doctor" values={{ doctor: <DoctorName address={r.doctor} profile={r.doctorProfile} /> }} />{' '}
                  <Badge bg={r.status === 'pending' ? 'warning' : r.status === 'approved' ? 'success' : 'secondary'} text={r.status === 'pending' ? 'dark' : undefined}>{STATUS_IDS[r.status] ? t(STATUS_IDS[r.status]) : r.status}</Badge>
                </Card.Title>
                <RequestReason request={r} byPatient={byPatient} />
                <p className="mb-1"><T id="patient.requests.asksFor" values={{ categories: <CategoryBadges names={r.scope} /> }} /></p>
                <p className="mb-2">{t('patient.requests.toFor', { permissions: new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(r.permissions.map(permissionWord)), duration: formatDuration(r.duration) })}</p>
                {r.status === 'pending' && <Decide request={r} patient={patient} onDone={reload} />}
              </Card.Body>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
