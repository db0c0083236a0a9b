// Sign-in: pick a wallet (a browser wallet through EIP-1193, or the built-in one), then sign
// the SIWE message.
import { useState } from 'react';
import { Alert, Button, Card, Col, Form, ListGroup, ProgressBar, Row, Tab, Tabs } from 'react-bootstrap';
import { useSession } from '../state/session.jsx';
import { connectInjected, injectedProvider } from '../wallet/injected.js';
import { builtinWallet, configuredRpcUrl, exportKeystore, forgetKey, importKeystore, setRpcUrl, storeKey, storedWallets, unlockKey } from '../wallet/builtin.js';
import { Wallet } from 'ethers';
import { isDevChain, parseDevAccounts } from '../wallet/devAccounts.js';
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
        <Card.Text>
          MetaMask or another wallet extension you already use. Your key stays in the wallet: it asks you to confirm
          each signature (signing in, your encryption key, every consent you give), and switches to chain {node.chainId}.
          Choose this if you have such a wallet.
        </Card.Text>
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
        <Card.Text>
          No extension needed: this page creates a key (or imports yours) and keeps it in this browser only, encrypted
          with your passphrase. It signs without asking. Clearing the browser's data deletes it, so export it to keep a
          backup.
        </Card.Text>
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

// The demo accounts of `medchain dev`, from the dev-accounts.json the user chooses (the keys
// never come from the build or the node); shown on a development chain only.
function DemoAccountsCard() {
  const { signIn } = useSession();
  const [accounts, setAccounts] = useState([]);
  const [error, setError] = useState(null);
  const [rpcUrl, setRpcUrlField] = useState(configuredRpcUrl() || 'http://127.0.0.1:8545');
  const readAccounts = async (file) => {
    setError(null);
    setAccounts([]);
    try {
      setAccounts(parseDevAccounts(await file.text()));
    } catch (e) {
      setError(e.message);
    }
  };
  return (
    <Card className="mb-3" border="info">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">Demo accounts (development chain)</Card.Title>
        <Card.Text>
          This node runs on a development chain. <code>medchain dev</code> created a registrar, two doctors and two
          patients and wrote their keys to <code>dev-accounts.json</code> in its data directory
          (<code>.medchain-dev/</code> by default). Choose that file to sign in as one of them. These keys are public:
          use them for trying medchain only.
        </Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <Row className="g-2 mb-2">
          <Col md={6}>
            <Form.Group controlId="dev-accounts-file">
              <Form.Label>dev-accounts.json</Form.Label>
              <Form.Control type="file" accept=".json,application/json" onChange={(e) => e.target.files[0] && readAccounts(e.target.files[0])} />
            </Form.Group>
          </Col>
          <Col md={6}>
            <Form.Group controlId="dev-rpc-url">
              <Form.Label>The development chain's JSON-RPC URL</Form.Label>
              <Form.Control type="url" value={rpcUrl} onChange={(e) => setRpcUrlField(e.target.value)} autoComplete="off" />
            </Form.Group>
          </Col>
        </Row>
        {accounts.length > 0 && (
          <div className="d-flex gap-2 flex-wrap" role="group" aria-label="Demo accounts">
            {accounts.map((a) => (
              <ActionButton key={a.address ?? a.label} variant="outline-primary" onError={setError} action={async () => { setRpcUrl(rpcUrl); return signIn(builtinWallet(new Wallet(a.privateKey))); }}>
                Sign in as {a.label}
              </ActionButton>
            ))}
          </div>
        )}
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
      <p>
        To use medchain you need an Ethereum account: a key that signs who you are and what you allow. It is not used
        for payments (the node pays the fees). Pick where your key lives:
      </p>
      {isDevChain(node.chainId) && <DemoAccountsCard />}
      <Row className="g-3">
        <Col md={6}><InjectedWalletCard /></Col>
        <Col md={6}><BuiltinWalletCard /></Col>
      </Row>
    </>
  );
}
