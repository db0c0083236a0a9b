// The registrar attests who a doctor is (docs/format.md, "Doctor profiles"): name, specialty and
// institution, signed as EIP-712 typed data with the registrar's wallet (a signature, not a
// transaction: the built-in wallet can do it) and left with the node, which lists it beside the
// doctor. Everyone's app checks the signature against the chain before showing the name.
import { useState } from 'react';
import { Card, Form } from 'react-bootstrap';
import { getAddress, isAddress } from 'ethers';
import { profileFieldsProblem, signProfile } from '../../chain/doctorProfile.js';
import { requireChain } from '../../chain/verify.js';
import { useSession } from '../../state/session.jsx';
import { ActionButton, ErrorAlert } from '../../components/common.jsx';
import { t } from '../../i18n/index.js';

export default function AttestProfile({ onDone }) {
  const { api, ctx, wallet, toast } = useSession();
  const [doctor, setDoctor] = useState('');
  const [name, setName] = useState('');
  const [specialty, setSpecialty] = useState('');
  const [institution, setInstitution] = useState('');
  const [error, setError] = useState(null);
  const fields = { name: name.trim(), specialty: specialty.trim(), institution: institution.trim() };
  const problem = name.trim() ? profileFieldsProblem(fields) : '';
  return (
    <Card className="mt-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('registrar.profile.title')}</Card.Title>
        <Form onSubmit={(e) => e.preventDefault()}>
          <Form.Group className="mb-3" controlId="profile-doctor">
            <Form.Label>{t('registrar.profile.doctor')}</Form.Label>
            <Form.Control value={doctor} onChange={(e) => setDoctor(e.target.value)} placeholder="0x…" isInvalid={doctor !== '' && !isAddress(doctor.trim())} />
          </Form.Group>
          <Form.Group className="mb-3" controlId="profile-name">
            <Form.Label>{t('registrar.profile.name')}</Form.Label>
            <Form.Control value={name} onChange={(e) => setName(e.target.value)} placeholder={t('registrar.profile.namePlaceholder')} isInvalid={!!problem} />
            <Form.Control.Feedback type="invalid">{problem}</Form.Control.Feedback>
          </Form.Group>
          <Form.Group className="mb-3" controlId="profile-specialty">
            <Form.Label>{t('registrar.profile.specialty')}</Form.Label>
            <Form.Control value={specialty} onChange={(e) => setSpecialty(e.target.value)} placeholder={t('registrar.profile.specialtyPlaceholder')} />
          </Form.Group>
          <Form.Group className="mb-3" controlId="profile-institution">
            <Form.Label>{t('registrar.profile.institution')}</Form.Label>
            <Form.Control value={institution} onChange={(e) => setInstitution(e.target.value)} />
          </Form.Group>
          <ErrorAlert error={error} onClose={() => setError(null)} />
          <ActionButton disabled={!isAddress(doctor.trim()) || !name.trim() || !!problem} onError={setError}
            action={async () => {
              const profile = { doctor: getAddress(doctor.trim()), ...fields, issuedAt: Math.floor(Date.now() / 1000) };
              const signature = await signProfile(wallet, await requireChain(ctx).deployment(), profile);
              await api.put(`/v1/doctors/${profile.doctor}/profile`, { ...fields, issuedAt: profile.issuedAt, signature });
              toast(t('registrar.profile.published', { name: profile.name }), 'success');
              onDone?.();
            }}>
            {t('registrar.profile.submit')}
          </ActionButton>
        </Form>
      </Card.Body>
    </Card>
  );
}
