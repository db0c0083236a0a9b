// The registrar's portal: verify, suspend and reinstate doctors, register storage nodes. These
// are direct contract calls (registrars are institutions with their own gas), so they go through
// the browser wallet's eth_sendTransaction.
import { useState } from 'react';
import { Alert, Badge, Card, Col, Form, Row, Table } from 'react-bootstrap';
import { Interface, isAddress, getAddress, isHexString, keccak256, toUtf8Bytes } from 'ethers';
import { licenseHash } from '../../state/license.js';
import { useSession, useLoad } from '../../state/session.jsx';
import { CONTRACT_ABI } from '../../chain/intents.js';
import { ActionButton, ErrorAlert, Loading } from '../../components/common.jsx';
import { DoctorName } from '../../components/DoctorName.jsx';
import { T, t } from '../../i18n/index.js';
import AttestProfile from './AttestProfile.jsx';

const contract = new Interface(CONTRACT_ABI);
// A command, the same in every language.
const REGISTER_DOCTOR_COMMAND = 'medchain register doctor';

function useTransact() {
  const { wallet, node, toast } = useSession();
  return async (fn, args, done) => {
    if (!wallet.sendTransaction) throw new Error(t('registrar.portal.needsBrowserWallet'));
    const hash = await wallet.sendTransaction({ to: node.contract, data: contract.encodeFunctionData(fn, args) });
    await wallet.waitForReceipt(hash);
    toast(done, 'success');
  };
}

function VerifyDoctor({ onDone }) {
  const transact = useTransact();
  const [doctor, setDoctor] = useState('');
  const [license, setLicense] = useState('');
  const [salt, setSalt] = useState('');
  const [hash, setHash] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const keyValid = isHexString(key.trim(), 32);
  const onChain = licenseHash(license, salt, hash);
  return (
    <Card>
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('registrar.verify.title')}</Card.Title>
        <Form onSubmit={(e) => e.preventDefault()}>
          <Form.Group className="mb-3" controlId="verify-address">
            <Form.Label>{t('registrar.verify.address')}</Form.Label>
            <Form.Control value={doctor} onChange={(e) => setDoctor(e.target.value)} isInvalid={doctor !== '' && !isAddress(doctor)} placeholder="0x…" />
            <Form.Control.Feedback type="invalid">{t('registrar.verify.notAddress')}</Form.Control.Feedback>
          </Form.Group>
          <Form.Group className="mb-3" controlId="verify-license">
            <Form.Label>{t('registrar.verify.license')}</Form.Label>
            <Form.Control value={license} onChange={(e) => setLicense(e.target.value)} />
          </Form.Group>
          <Form.Group className="mb-3" controlId="verify-license-salt">
            <Form.Label><T id="registrar.verify.salt" values={{ command: <code>{REGISTER_DOCTOR_COMMAND}</code> }} /></Form.Label>
            <Form.Control value={salt} onChange={(e) => setSalt(e.target.value)} isInvalid={salt !== '' && !isHexString(salt.trim(), 32)} placeholder={t('registrar.verify.bytes32Placeholder')} />
            <Form.Control.Feedback type="invalid">{t('registrar.verify.bytes32Invalid')}</Form.Control.Feedback>
            <Form.Text>{t('registrar.verify.saltHelp')}</Form.Text>
          </Form.Group>
          <Form.Group className="mb-3" controlId="verify-license-hash">
            <Form.Label>{t('registrar.verify.hash')}</Form.Label>
            <Form.Control value={hash} onChange={(e) => setHash(e.target.value)} isInvalid={hash !== '' && !isHexString(hash.trim(), 32)} placeholder={t('registrar.verify.bytes32Placeholder')} />
            <Form.Control.Feedback type="invalid">{t('registrar.verify.bytes32Invalid')}</Form.Control.Feedback>
          </Form.Group>
          <Form.Group className="mb-3" controlId="verify-key">
            <Form.Label>{t('registrar.verify.key')}</Form.Label>
            <Form.Control value={key} onChange={(e) => setKey(e.target.value)} isInvalid={key !== '' && !keyValid} placeholder={t('registrar.verify.bytes32Placeholder')} />
            <Form.Control.Feedback type="invalid">{t('registrar.verify.bytes32Invalid')}</Form.Control.Feedback>
          </Form.Group>
          <ErrorAlert error={error} onClose={() => setError(null)} />
          <ActionButton disabled={!isAddress(doctor) || !onChain || !keyValid} onError={setError}
            action={async () => { await transact('verifyDoctor', [getAddress(doctor), onChain, key.trim()], t('registrar.verify.done')); onDone(); }}>
            {t('registrar.verify.submit')}
          </ActionButton>
        </Form>
      </Card.Body>
    </Card>
  );
}

function RegisterNode() {
  const transact = useTransact();
  const [name, setName] = useState('');
  const [operator, setOperator] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState(null);
  return (
    <Card className="mt-3">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('registrar.node.title')}</Card.Title>
        <Form onSubmit={(e) => e.preventDefault()}>
          <Form.Group className="mb-3" controlId="node-name">
            <Form.Label>{t('registrar.node.name')}</Form.Label>
            <Form.Control value={name} onChange={(e) => setName(e.target.value)} />
          </Form.Group>
          <Form.Group className="mb-3" controlId="node-operator">
            <Form.Label>{t('registrar.node.operator')}</Form.Label>
            <Form.Control value={operator} onChange={(e) => setOperator(e.target.value)} isInvalid={operator !== '' && !isAddress(operator)} />
          </Form.Group>
          <Form.Group className="mb-3" controlId="node-url">
            <Form.Label>{t('registrar.node.url')}</Form.Label>
            <Form.Control type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder={t('registrar.node.urlPlaceholder')} />
          </Form.Group>
          <ErrorAlert error={error} onClose={() => setError(null)} />
          <ActionButton disabled={!name.trim() || !isAddress(operator) || !url.trim()} onError={setError}
            action={() => transact('registerStorageNode', [isHexString(name.trim(), 32) ? name.trim() : keccak256(toUtf8Bytes(name.trim())), getAddress(operator), url.trim()], t('registrar.node.done'))}>
            {t('registrar.node.submit')}
          </ActionButton>
        </Form>
      </Card.Body>
    </Card>
  );
}

export default function RegistrarPortal() {
  const { api, me, wallet } = useSession();
  const transact = useTransact();
  const [error, setError] = useState(null);
  const { data, error: loadError, loading, reload } = useLoad(() => api.get('/v1/doctors'), []);
  if (!me) return <Loading what={t('registrar.portal.readingRoles')} />;
  return (
    <>
      <h1 className="fs-3">{t('registrar.portal.title')}</h1>
      {!me.registrar && <Alert variant="warning">{t('registrar.portal.notRegistrar')}</Alert>}
      {!wallet.sendTransaction && <Alert variant="info">{t('registrar.portal.builtinWallet')}</Alert>}
      <Row className="g-3">
        <Col lg={7}>
          <h2 className="fs-5">{t('registrar.doctors.title')}</h2>
          <ErrorAlert error={loadError ?? error} onClose={() => setError(null)} />
          {loading && !data && <Loading what={t('registrar.doctors.loading')} />}
          {data && data.doctors.length === 0 && <p className="text-secondary">{t('registrar.doctors.empty')}</p>}
          {data?.doctors.length > 0 && (
            <Table responsive hover aria-label={t('registrar.doctors.table')}>
              <thead><tr><th>{t('registrar.doctors.doctor')}</th><th>{t('registrar.doctors.status')}</th><th>{t('registrar.doctors.licenseHash')}</th><th><span className="visually-hidden">{t('registrar.doctors.actions')}</span></th></tr></thead>
              <tbody>
                {data.doctors.map((d) => (
                  <tr key={d.address}>
                    <td><DoctorName address={d.address} profile={d.profile} /></td>
                    <td><Badge bg={d.status === 'verified' ? 'success' : 'danger'}>{t(`registrar.doctors.status.${d.status}`)}</Badge></td>
                    <td><code>{d.licenseHash.slice(0, 10)}…</code></td>
                    <td>
                      {d.status === 'verified' ? (
                        <ActionButton size="sm" variant="outline-danger" onError={setError} aria-label={t('registrar.doctors.suspendDoctor', { address: d.address })} action={async () => { await transact('suspendDoctor', [d.address], t('registrar.doctors.suspended')); reload(); }}>{t('registrar.doctors.suspend')}</ActionButton>
                      ) : (
                        <ActionButton size="sm" variant="outline-success" onError={setError} aria-label={t('registrar.doctors.reinstateDoctor', { address: d.address })} action={async () => { await transact('reinstateDoctor', [d.address], t('registrar.doctors.reinstated')); reload(); }}>{t('registrar.doctors.reinstate')}</ActionButton>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Col>
        <Col lg={5}>
          <VerifyDoctor onDone={reload} />
          <AttestProfile onDone={reload} />
          <RegisterNode />
        </Col>
      </Row>
    </>
  );
}
