// Sign-in: pick a wallet (a browser wallet through EIP-1193, or the built-in one), then sign
// the SIWE message.
import { useState } from 'react';
import { Alert, Button, Card, Col, Form, ListGroup, ProgressBar, Row, Tab, Tabs } from 'react-bootstrap';
import { useSession } from '../state/session.jsx';
import { connectInjected, injectedProvider } from '../wallet/injected.js';
import { configuredRpcUrl, exportKeystore, forgetKey, importKeystore, setRpcUrl, storeKey, storedWallets, unlockKey } from '../wallet/builtin.js';
import { ActionButton, Address, ErrorAlert } from '../components/common.jsx';
import { shortAddress } from '../util/format.js';

function InjectedWalletCard() {
  const { node, signIn } = useSession();
  const [error, setError] = useState(null);
  const provider = injectedProvider();
  return (
    <Card className="h-100">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">Browser wallet</Card.Title>
        <Card.Text>MetaMask or another wallet in your browser. You confirm each signature in the wallet; it switches to chain {node.chainId}.</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {provider ? (
          <ActionButton action={async () => signIn(await connectInjected(provider, node))} onError={setError}>
            Connect and sign in
          </ActionButton>
        ) : (
          <Alert variant="secondary" className="mb-0">No browser wallet found. Install one, or use the built-in wallet.</Alert>
        )}
      </Card.Body>
    </Card>
  );
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

function BuiltinWalletCard() {
  const { signIn } = useSession();
  const [wallets, setWallets] = useState(storedWallets());
  const [error, setError] = useState(null);
  const [progress, setProgress] = useState(null);
  const [selected, setSelected] = useState(wallets[0]?.address ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [newPassphrase, setNewPassphrase] = useState('');
  const [importKey, setImportKey] = useState('');
  const [keystoreFile, setKeystoreFile] = useState(null);
  const [tab, setTab] = useState(wallets.length ? 'unlock' : 'create');
  const [rpcUrl, setRpcUrlField] = useState(configuredRpcUrl());
  const onProgress = (p) => setProgress(Math.round(p * 100));
  // After a key is created or imported, it is selected and ready to unlock.
  const refresh = (address) => {
    const list = storedWallets();
    setWallets(list);
    setSelected(address || list[0]?.address || '');
    setTab(list.length ? 'unlock' : 'create');
    setProgress(null);
  };

  return (
    <Card className="h-100">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">Built-in wallet</Card.Title>
        <Card.Text>A key kept in this browser, encrypted with your passphrase. Export it to keep a backup.</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {progress !== null && <ProgressBar now={progress} label={`${progress}%`} className="mb-2" aria-label="Key encryption progress" />}
        <Tabs activeKey={tab} onSelect={setTab} className="mb-3" mountOnEnter>
          <Tab eventKey="unlock" title="Unlock" disabled={!wallets.length}>
            <ListGroup className="mb-2">
              {wallets.map((w) => (
                <ListGroup.Item key={w.address} action active={w.address === selected} onClick={() => setSelected(w.address)}>
                  {w.label} · {shortAddress(w.address)}
                </ListGroup.Item>
              ))}
            </ListGroup>
            <Form.Group className="mb-2" controlId="unlock-passphrase">
              <Form.Label>Passphrase</Form.Label>
              <Form.Control type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="current-password" />
            </Form.Group>
            <Form.Group className="mb-2" controlId="rpc-url">
              <Form.Label>Chain RPC URL</Form.Label>
              <Form.Control type="url" value={rpcUrl} onChange={(e) => setRpcUrlField(e.target.value)} placeholder="https://…" autoComplete="off" />
              <Form.Text>The app checks every key and digest the node gives against the chain; without a URL it cannot, and records stay closed.</Form.Text>
            </Form.Group>
            <div className="d-flex gap-2 flex-wrap">
              <ActionButton action={async () => { setRpcUrl(rpcUrl); const w = await unlockKey(selected, passphrase, localStorage, onProgress); setProgress(null); return signIn(w); }} onError={(e) => { setProgress(null); setError(e); }} disabled={!selected}>
                Unlock and sign in
              </ActionButton>
              <Button variant="outline-secondary" disabled={!selected} onClick={() => download(`medchain-${selected}.json`, exportKeystore(selected))}>
                Export keystore
              </Button>
              <Button variant="outline-danger" disabled={!selected} onClick={() => { if (confirm(`Forget ${selected} in this browser? Without an export the key is lost.`)) { forgetKey(selected); refresh(''); } }}>
                Forget
              </Button>
            </div>
          </Tab>
          <Tab eventKey="create" title="Create or import">
            <Form.Group className="mb-2" controlId="new-passphrase">
              <Form.Label>New passphrase (8 characters or more)</Form.Label>
              <Form.Control type="password" value={newPassphrase} onChange={(e) => setNewPassphrase(e.target.value)} autoComplete="new-password" />
            </Form.Group>
            <Form.Group className="mb-2" controlId="import-key">
              <Form.Label>Private key to import (leave empty to create a new key)</Form.Label>
              <Form.Control type="password" value={importKey} onChange={(e) => setImportKey(e.target.value)} placeholder="0x…" autoComplete="off" />
            </Form.Group>
            <ActionButton action={async () => refresh(await storeKey({ key: importKey || null, passphrase: newPassphrase }, localStorage, onProgress))} onError={(e) => { setProgress(null); setError(e); }}>
              {importKey ? 'Import key' : 'Create key'}
            </ActionButton>
            <hr />
            <Form.Group className="mb-2" controlId="keystore-file">
              <Form.Label>Or import a keystore v3 file (its passphrase above)</Form.Label>
              <Form.Control type="file" accept=".json,application/json" onChange={(e) => setKeystoreFile(e.target.files[0] ?? null)} />
            </Form.Group>
            <ActionButton variant="outline-primary" disabled={!keystoreFile} action={async () => refresh(await importKeystore({ json: await keystoreFile.text(), passphrase: newPassphrase }, localStorage, onProgress))} onError={(e) => { setProgress(null); setError(e); }}>
              Import keystore
            </ActionButton>
          </Tab>
        </Tabs>
      </Card.Body>
    </Card>
  );
}

export default function ConnectScreen() {
  const { node, ended } = useSession();
  return (
    <>
      <h1 className="fs-3">Sign in to medchain</h1>
      <p className="text-secondary">
        Your records are encrypted in this browser before they leave it. Node on chain {node.chainId}, contract <Address value={node.contract} label="contract" />.
      </p>
      {ended && <Alert variant="warning" role="alert">{ended}</Alert>}
      <Row className="g-3">
        <Col md={6}><InjectedWalletCard /></Col>
        <Col md={6}><BuiltinWalletCard /></Col>
      </Row>
    </>
  );
}
