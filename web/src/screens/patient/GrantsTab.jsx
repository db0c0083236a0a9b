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
import { T, currentLanguage, t } from '../../i18n/index.js';
import { permissionWord } from './words.js';

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
          <Form.Label>{t('patient.grants.doctor')}</Form.Label>
          <Form.Select value={doctor} onChange={(e) => setDoctor(e.target.value)}>
            <option value="">{t('patient.grants.chooseDoctor')}</option>
            {doctors.filter((d) => d.status === 'verified').map((d) => <option key={d.address} value={d.address}>{shortAddress(d.address)} — {d.address}</option>)}
          </Form.Select>
        </Form.Group>
      )}
      <ScopePicker id={`${id}-scope`} value={scope} onChange={setScope} />
      <PermissionChecks id={`${id}-perm`} value={permissions} onChange={setPermissions} />
      <DurationSelect id={`${id}-duration`} value={duration} onChange={setDuration} label={t('patient.grants.fromNowFor')} />
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <ActionButton
        disabled={!doctor || !permissions.includes('read') || scope.length === 0}
        onError={setError}
        action={async () => {
          const mask = scopeMask(scope);
          const grant = { patient, doctor, scope: mask, permissions: permissionsMask(permissions), expiry: String(nowSeconds() + duration) };
          const sharing = await grantAccess(ctx, grant, unlockEncryptionKey);
          toast(describeSharing(t(initial ? 'patient.grants.changed' : 'patient.grants.granted'), sharing), sharing.unstated ? 'warning' : 'success');
          onDone();
        }}
      >
        {initial ? t('patient.grants.saveChanges') : t('patient.grants.grant')}
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
        <h2 className="fs-5">{t('patient.grants.title')}</h2>
        <ErrorAlert error={grants.error ?? error} onClose={() => setError(null)} />
        {grants.loading && !grants.data && <Loading what={t('patient.grants.loading')} />}
        {grants.data && active.length === 0 && <p className="text-secondary">{t('patient.grants.none')}</p>}
        {active.length > 0 && (
          <Table responsive hover aria-label={t('patient.grants.table')}>
            <thead><tr><th>{t('patient.grants.doctor')}</th><th>{t('patient.grants.categories')}</th><th>{t('patient.grants.may')}</th><th>{t('patient.grants.expires')}</th><th><span className="visually-hidden">{t('patient.grants.actions')}</span></th></tr></thead>
            <tbody>
              {active.map((g) => (
                <tr key={g.doctor}>
                  <td><DoctorName address={g.doctor} profile={g.doctorProfile} /></td>
                  <td><CategoryBadges names={g.scope} /></td>
                  <td>{new Intl.ListFormat(currentLanguage(), { type: 'unit', style: 'short' }).format(g.permissions.map(permissionWord))}</td>
                  <td><Countdown until={g.expiry} /></td>
                  <td className="text-nowrap">
                    <ActionButton size="sm" variant="outline-secondary" className="me-1" action={async () => setEditing(editing === g.doctor ? null : g.doctor)}>{t('patient.grants.change')}</ActionButton>
                    <ActionButton size="sm" variant="outline-danger" onError={setError} aria-label={t('patient.grants.revokeOf', { doctor: g.doctor })}
                      action={async () => { await relay(ctx, 'revokeAccessBySig', { patient, doctor: g.doctor }); toast(t('patient.grants.revoked'), 'secondary'); grants.reload(); }}>
                      {t('patient.grants.revoke')}
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
              <Card.Title className="fs-6"><T id="patient.grants.changeOf" values={{ doctor: <Address value={editing} /> }} /></Card.Title>
              <GrantForm patient={patient} initial={active.find((g) => g.doctor === editing)} doctors={doctors.data?.doctors ?? []} onDone={() => { setEditing(null); grants.reload(); }} />
            </Card.Body>
          </Card>
        )}
      </Col>
      <Col lg={5}>
        <Card>
          <Card.Body>
            <Card.Title as="h2" className="fs-5">{t('patient.grants.grant')}</Card.Title>
            <GrantForm patient={patient} doctors={doctors.data?.doctors ?? []} onDone={grants.reload} />
          </Card.Body>
        </Card>
      </Col>
    </Row>
  );
}
