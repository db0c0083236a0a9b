// The registrar's portal: verify, suspend and reinstate doctors, register storage nodes. These
// are direct contract calls (registrars are institutions with their own gas), so they go through
// the browser wallet's eth_sendTransaction.
import { useState } from 'react';
import { Alert, Badge, Card, Col, Form, Row, Table } from 'react-bootstrap';
import { Interface, isAddress, getAddress, isHexString } from 'ethers';
import { licenseHash } from '../../state/license.js';
import { useSession, useLoad } from '../../state/session.jsx';
import { CONTRACT_ABI } from '../../chain/intents.js';
import { ActionButton, ErrorAlert, Loading } from '../../components/common.jsx';
import { DoctorName } from '../../components/DoctorName.jsx';
import AttestProfile from './AttestProfile.jsx';

const contract = new Interface(CONTRACT_ABI);

function useTransact() {
  const { wallet, node, toast } = useSession();
  return async (fn, args, done) => {
    if (!wallet.sendTransaction) throw new Error('Registrar actions are transactions: connect a browser wallet holding the registrar account.');
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
        <Card.Title as="h2" className="fs-5">Verify a doctor</Card.Title>
        <Form onSubmit={(e) => e.preventDefault()}>
          <Form.Group className="mb-3" controlId="verify-address">
            <Form.Label>Doctor's address</Form.Label>
            <Form.Control value={doctor} onChange={(e) => setDoctor(e.target.value)} isInvalid={doctor !== '' && !isAddress(doctor)} placeholder="0x…" />
            <Form.Control.Feedback type="invalid">Not an address.</Form.Control.Feedback>
          </Form.Group>
          <Form.Group className="mb-3" controlId="verify-license">
            <Form.Label>License number</Form.Label>
            <Form.Control value={license} onChange={(e) => setLicense(e.target.value)} />
          </Form.Group>
          <Form.Group className="mb-3" controlId="verify-license-salt">
            <Form.Label>License salt (the doctor's, from <code>medchain register doctor</code>)</Form.Label>
            <Form.Control value={salt} onChange={(e) => setSalt(e.target.value)} isInvalid={salt !== '' && !isHexString(salt.trim(), 32)} placeholder="0x… (32 bytes)" />
            <Form.Control.Feedback type="invalid">32 bytes of 0x hex.</Form.Control.Feedback>
            <Form.Text>Only keccak256(salt ‖ license) goes on chain: without the salt nobody can find the license from it.</Form.Text>
          </Form.Group>
          <Form.Group className="mb-3" controlId="verify-license-hash">
            <Form.Label>Or the license hash the doctor sent</Form.Label>
            <Form.Control value={hash} onChange={(e) => setHash(e.target.value)} isInvalid={hash !== '' && !isHexString(hash.trim(), 32)} placeholder="0x… (32 bytes)" />
            <Form.Control.Feedback type="invalid">32 bytes of 0x hex.</Form.Control.Feedback>
          </Form.Group>
          <Form.Group className="mb-3" controlId="verify-key">
            <Form.Label>The doctor's encryption key (from their Doctor page)</Form.Label>
            <Form.Control value={key} onChange={(e) => setKey(e.target.value)} isInvalid={key !== '' && !keyValid} placeholder="0x… (32 bytes)" />
            <Form.Control.Feedback type="invalid">32 bytes of 0x hex.</Form.Control.Feedback>
          </Form.Group>
          <ErrorAlert error={error} onClose={() => setError(null)} />
          <ActionButton disabled={!isAddress(doctor) || !onChain || !keyValid} onError={setError}
            action={async () => { await transact('verifyDoctor', [getAddress(doctor), onChain, key.trim()], 'Doctor verified'); onDone(); }}>
            Verify doctor
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
        <Card.Title as="h2" className="fs-5">Register a storage node</Card.Title>
        <Form onSubmit={(e) => e.preventDefault()}>
          <Form.Group className="mb-3" controlId="node-name">
            <Form.Label>Node name (its id is the name's keccak-256) or 0x id</Form.Label>
            <Form.Control value={name} onChange={(e) => setName(e.target.value)} />
          </Form.Group>
          <Form.Group className="mb-3" controlId="node-operator">
            <Form.Label>Operator address</Form.Label>
            <Form.Control value={operator} onChange={(e) => setOperator(e.target.value)} isInvalid={operator !== '' && !isAddress(operator)} />
          </Form.Group>
          <Form.Group className="mb-3" controlId="node-url">
            <Form.Label>URL</Form.Label>
            <Form.Control type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://node.example" />
          </Form.Group>
          <ErrorAlert error={error} onClose={() => setError(null)} />
          <ActionButton disabled={!name.trim() || !isAddress(operator) || !url.trim()} onError={setError}
            action={() => transact('registerStorageNode', [isHexString(name.trim(), 32) ? name.trim() : keccak256(toUtf8Bytes(name.trim())), getAddress(operator), url.trim()], 'Storage node registered')}>
            Register node
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
  if (!me) return <Loading what="Reading your roles" />;
  return (
    <>
      <h1 className="fs-3">Registrar</h1>
      {!me.registrar && <Alert variant="warning">This account is not a registrar; the contract will refuse these actions.</Alert>}
      {!wallet.sendTransaction && <Alert variant="info">The built-in wallet acts only through the node's relay; registrar actions need a browser wallet.</Alert>}
      <Row className="g-3">
        <Col lg={7}>
          <h2 className="fs-5">Doctors</h2>
          <ErrorAlert error={loadError ?? error} onClose={() => setError(null)} />
          {loading && !data && <Loading what="Loading doctors" />}
          {data && data.doctors.length === 0 && <p className="text-secondary">No doctors yet.</p>}
          {data?.doctors.length > 0 && (
            <Table responsive hover aria-label="Doctors">
              <thead><tr><th>Doctor</th><th>Status</th><th>License hash</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                {data.doctors.map((d) => (
                  <tr key={d.address}>
                    <td><DoctorName address={d.address} profile={d.profile} /></td>
                    <td><Badge bg={d.status === 'verified' ? 'success' : 'danger'}>{d.status}</Badge></td>
                    <td><code>{d.licenseHash.slice(0, 10)}…</code></td>
                    <td>
                      {d.status === 'verified' ? (
                        <ActionButton size="sm" variant="outline-danger" onError={setError} aria-label={`Suspend ${d.address}`} action={async () => { await transact('suspendDoctor', [d.address], 'Doctor suspended'); reload(); }}>Suspend</ActionButton>
                      ) : (
                        <ActionButton size="sm" variant="outline-success" onError={setError} aria-label={`Reinstate ${d.address}`} action={async () => { await transact('reinstateDoctor', [d.address], 'Doctor reinstated'); reload(); }}>Reinstate</ActionButton>
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
