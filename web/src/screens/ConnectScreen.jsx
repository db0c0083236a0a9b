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
import { T, t } from '../i18n/index.js';

function InjectedWalletCard() {
  const { node, signIn } = useSession();
  const [error, setError] = useState(null);
  const provider = injectedProvider();
  return (
    <Card className="h-100">
      <Card.Body>
        <Card.Title as="h2" className="fs-5">{t('connect.injected.title')}</Card.Title>
        <Card.Text>{t('connect.injected.explain', { chainId: node.chainId })}</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {provider ? (
          <ActionButton action={async () => signIn(await connectInjected(provider, node))} onError={setError}>
            {t('connect.injected.signIn')}
          </ActionButton>
        ) : (
          <Alert variant="secondary" className="mb-0">{t('connect.injected.none')}</Alert>
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
        <Card.Title as="h2" className="fs-5">{t('connect.builtin.title')}</Card.Title>
        <Card.Text>{t('connect.builtin.explain')}</Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        {progress !== null && <ProgressBar now={progress} label={`${progress}%`} className="mb-2" aria-label={t('connect.builtin.progress')} />}
        <Tabs activeKey={tab} onSelect={setTab} className="mb-3" mountOnEnter>
          <Tab eventKey="unlock" title={t('connect.builtin.unlockTab')} disabled={!wallets.length}>
            <ListGroup className="mb-2">
              {wallets.map((w) => (
                <ListGroup.Item key={w.address} action active={w.address === selected} onClick={() => setSelected(w.address)}>
                  {w.label} · {shortAddress(w.address)}
                </ListGroup.Item>
              ))}
            </ListGroup>
            <Form.Group className="mb-2" controlId="unlock-passphrase">
              <Form.Label>{t('connect.builtin.passphrase')}</Form.Label>
              <Form.Control type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="current-password" />
            </Form.Group>
            <Form.Group className="mb-2" controlId="rpc-url">
              <Form.Label>{t('connect.builtin.rpcUrl')}</Form.Label>
              <Form.Control type="url" value={rpcUrl} onChange={(e) => setRpcUrlField(e.target.value)} placeholder={t('connect.builtin.rpcUrlPlaceholder')} autoComplete="off" />
              <Form.Text>{t('connect.builtin.rpcUrlHelp')}</Form.Text>
            </Form.Group>
            <div className="d-flex gap-2 flex-wrap">
              <ActionButton action={async () => { setRpcUrl(rpcUrl); const w = await unlockKey(selected, passphrase, localStorage, onProgress); setProgress(null); return signIn(w); }} onError={(e) => { setProgress(null); setError(e); }} disabled={!selected}>
                {t('connect.builtin.unlock')}
              </ActionButton>
              <Button variant="outline-secondary" disabled={!selected} onClick={() => download(`medchain-${selected}.json`, exportKeystore(selected))}>
                {t('connect.builtin.export')}
              </Button>
              <Button variant="outline-danger" disabled={!selected} onClick={() => { if (confirm(t('connect.builtin.forgetConfirm', { address: selected }))) { forgetKey(selected); refresh(''); } }}>
                {t('connect.builtin.forget')}
              </Button>
            </div>
          </Tab>
          <Tab eventKey="create" title={t('connect.builtin.createTab')}>
            <Form.Group className="mb-2" controlId="new-passphrase">
              <Form.Label>{t('connect.builtin.newPassphrase')}</Form.Label>
              <Form.Control type="password" value={newPassphrase} onChange={(e) => setNewPassphrase(e.target.value)} autoComplete="new-password" />
            </Form.Group>
            <Form.Group className="mb-2" controlId="import-key">
              <Form.Label>{t('connect.builtin.importKeyLabel')}</Form.Label>
              <Form.Control type="password" value={importKey} onChange={(e) => setImportKey(e.target.value)} placeholder="0x…" autoComplete="off" />
            </Form.Group>
            <ActionButton action={async () => refresh(await storeKey({ key: importKey || null, passphrase: newPassphrase }, localStorage, onProgress))} onError={(e) => { setProgress(null); setError(e); }}>
              {importKey ? t('connect.builtin.importKey') : t('connect.builtin.createKey')}
            </ActionButton>
            <hr />
            <Form.Group className="mb-2" controlId="keystore-file">
              <Form.Label>{t('connect.builtin.keystoreFile')}</Form.Label>
              <Form.Control type="file" accept=".json,application/json" onChange={(e) => setKeystoreFile(e.target.files[0] ?? null)} />
            </Form.Group>
            <ActionButton variant="outline-primary" disabled={!keystoreFile} action={async () => refresh(await importKeystore({ json: await keystoreFile.text(), passphrase: newPassphrase }, localStorage, onProgress))} onError={(e) => { setProgress(null); setError(e); }}>
              {t('connect.builtin.importKeystore')}
            </ActionButton>
          </Tab>
        </Tabs>
      </Card.Body>
    </Card>
  );
}

// What `medchain dev` is called and writes: names, the same in every language.
const DEV_COMMAND = 'medchain dev';
const DEV_ACCOUNTS_FILE = 'dev-accounts.json';
const DEV_DATA_DIRECTORY = '.medchain-dev/';

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
        <Card.Title as="h2" className="fs-5">{t('connect.demo.title')}</Card.Title>
        <Card.Text>
          <T
            id="connect.demo.explain"
            values={{ command: <code>{DEV_COMMAND}</code>, file: <code>{DEV_ACCOUNTS_FILE}</code>, directory: <code>{DEV_DATA_DIRECTORY}</code> }}
          />
        </Card.Text>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <Row className="g-2 mb-2">
          <Col md={6}>
            <Form.Group controlId="dev-accounts-file">
              <Form.Label>{DEV_ACCOUNTS_FILE}</Form.Label>
              <Form.Control type="file" accept=".json,application/json" onChange={(e) => e.target.files[0] && readAccounts(e.target.files[0])} />
            </Form.Group>
          </Col>
          <Col md={6}>
            <Form.Group controlId="dev-rpc-url">
              <Form.Label>{t('connect.demo.rpcUrl')}</Form.Label>
              <Form.Control type="url" value={rpcUrl} onChange={(e) => setRpcUrlField(e.target.value)} autoComplete="off" />
            </Form.Group>
          </Col>
        </Row>
        {accounts.length > 0 && (
          <div className="d-flex gap-2 flex-wrap" role="group" aria-label={t('connect.demo.accounts')}>
            {accounts.map((a) => (
              <ActionButton key={a.address ?? a.label} variant="outline-primary" onError={setError} action={async () => { setRpcUrl(rpcUrl); return signIn(builtinWallet(new Wallet(a.privateKey))); }}>
                {t('connect.demo.signInAs', { label: a.label })}
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
      <h1 className="fs-3">{t('connect.title')}</h1>
      <p className="text-secondary">
        <T id="connect.intro" values={{ chainId: node.chainId, contract: <Address value={node.contract} label={t('connect.contract')} /> }} />
      </p>
      {ended && <Alert variant="warning" role="alert">{ended}</Alert>}
      <p>{t('connect.account')}</p>
      {isDevChain(node.chainId) && <DemoAccountsCard />}
      <Row className="g-3">
        <Col md={6}><InjectedWalletCard /></Col>
        <Col md={6}><BuiltinWalletCard /></Col>
      </Row>
    </>
  );
}
