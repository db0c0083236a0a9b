// Access requests to the patient: approve with a chosen scope, permissions and duration (never
// more than asked), or deny. Approving also shares the keys of existing records in the scope.
import { useState } from 'react';
import { Badge, Button, Card, Col, Row } from 'react-bootstrap';
import { useSession, useLoad } from '../../state/session.jsx';
import { approveRequest, describeSharing, relay, reasonHash } from '../../state/actions.js';
import { REQUEST_REASONS, permissionsMask, scopeMask } from '../../chain/scopes.js';
import { ActionButton, Address, CategoryBadges, DurationSelect, ErrorAlert, Loading, PermissionChecks, ScopePicker } from '../../components/common.jsx';
import { formatDuration } from '../../util/format.js';

const KNOWN_REASONS = new Map(REQUEST_REASONS.map((r) => [reasonHash(r), r]));

function Decide({ request, patient, onDone }) {
  const { ctx, unlockEncryptionKey, toast } = useSession();
  const [scope, setScope] = useState(request.scope);
  const [permissions, setPermissions] = useState(request.permissions);
  const [duration, setDuration] = useState(request.duration);
  const [error, setError] = useState(null);
  const id = `req-${request.requestId}`;
  return (
    <>
      <ScopePicker id={`${id}-scope`} value={scope} onChange={setScope} legend="Allow these categories" />
      <PermissionChecks id={`${id}-perm`} value={permissions} onChange={setPermissions} />
      <DurationSelect id={`${id}-duration`} value={duration} onChange={setDuration} label="For" />
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <div className="d-flex gap-2">
        <ActionButton
          variant="success"
          onError={setError}
          disabled={!permissions.includes('read') || scope.length === 0}
          action={async () => {
            const approval = { patient, request, scope: scopeMask(scope), permissions: permissionsMask(permissions), duration };
            const sharing = await approveRequest(ctx, approval, unlockEncryptionKey);
            toast(describeSharing('Approved', sharing), sharing.unstated ? 'warning' : 'success');
            onDone();
          }}
        >
          Approve
        </ActionButton>
        <ActionButton
          variant="outline-danger"
          onError={setError}
          action={async () => {
            await relay(ctx, 'denyRequestBySig', { requestId: request.requestId });
            toast('Request denied', 'secondary');
            onDone();
          }}
        >
          Deny
        </ActionButton>
      </div>
    </>
  );
}

export default function RequestsTab({ patient }) {
  const { api } = useSession();
  const { data, error, loading, reload } = useLoad(() => api.get(`/v1/patients/${patient}/requests`), [patient]);
  const [showAll, setShowAll] = useState(false);
  const requests = (data?.requests ?? []).filter((r) => showAll || r.status === 'pending').reverse();
  return (
    <>
      <div className="d-flex align-items-center mb-2">
        <h2 className="fs-5 mb-0">Access requests</h2>
        <Button size="sm" variant="link" onClick={() => setShowAll(!showAll)}>{showAll ? 'Pending only' : 'Show decided too'}</Button>
      </div>
      <ErrorAlert error={error} />
      {loading && !data && <Loading what="Loading requests" />}
      {data && requests.length === 0 && <p className="text-secondary">No {showAll ? '' : 'pending '}requests.</p>}
      <Row className="g-3">
        {requests.map((r) => (
          <Col lg={6} key={r.requestId}>
            <Card aria-label={`Request from ${r.doctor}`}>
              <Card.Body>
                <Card.Title className="fs-6">
                  Doctor <Address value={r.doctor} label="doctor" />{' '}
                  <Badge bg={r.status === 'pending' ? 'warning' : r.status === 'approved' ? 'success' : 'secondary'} text={r.status === 'pending' ? 'dark' : undefined}>{r.status}</Badge>
                </Card.Title>
                <p className="mb-1">Reason: {KNOWN_REASONS.get(r.reasonHash) ?? <span className="text-secondary">a custom reason (only its hash is on chain)</span>}</p>
                <p className="mb-1">Asks for <CategoryBadges names={r.scope} /></p>
                <p className="mb-2">To {r.permissions.join(' and ')} for {formatDuration(r.duration)}</p>
                {r.status === 'pending' && <Decide request={r} patient={patient} onDone={reload} />}
              </Card.Body>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
