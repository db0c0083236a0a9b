import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { Wallet, TypedDataEncoder, verifyMessage, verifyTypedData } from 'ethers';
import { INTENTS, intentTypedData } from '../chain/intents.js';
import { scopeMask, scopeNames, scopeCovers, permissionsMask, ALL_CATEGORIES } from '../chain/scopes.js';
import { keyRecipients, nextVersion } from './actions.js';
import { siweMessage } from '../wallet/siwe.js';
import { createApi, ApiError } from '../api/client.js';
import { describeFeedMessage, isOwnAction } from '../api/feed.js';
import { storeKey, unlockKey, exportKeystore, importKeystore, storedWallets, forgetKey } from '../wallet/builtin.js';
import { shortAddress, formatDuration } from '../util/format.js';
import { addressFromQrText } from '../components/qr.jsx';

// The type strings docs/contracts.md lists, as wallets show them: the ABI-derived types must
// encode to exactly these.
const DOCUMENTED = readFileSync(new URL('../../../docs/contracts.md', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => /^[A-Z][A-Za-z]+\([a-z0-9]+ [a-zA-Z]+(,[a-z0-9]+ [a-zA-Z]+)*\)$/.test(line));

describe('intents from the ABI', () => {
  it('has every documented intent type, field for field', () => {
    expect(DOCUMENTED.length).toBe(16);
    const derived = Object.values(INTENTS).map(({ name, fields }) => TypedDataEncoder.from({ [name]: fields }).encodeType(name));
    expect(derived.sort()).toEqual([...DOCUMENTED].sort());
  });

  it('builds typed data under the contract domain that a wallet signs and recovers', async () => {
    const wallet = Wallet.createRandom();
    const node = { chainId: 31337, contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
    const typed = intentTypedData('grantAccessBySig', node, {
      patient: wallet.address, doctor: wallet.address, scope: 3, permissions: 1, expiry: '100', nonce: '0', deadline: 10n,
    });
    expect(typed.primaryType).toBe('GrantAccess');
    expect(typed.domain).toEqual({ name: 'medchain', version: '1', chainId: 31337, verifyingContract: node.contract });
    expect(typed.message.deadline).toBe('10');
    const { EIP712Domain: _d, ...types } = typed.types;
    const signature = await wallet.signTypedData(typed.domain, types, typed.message);
    expect(verifyTypedData(typed.domain, types, typed.message, signature)).toBe(wallet.address);
    expect(() => intentTypedData('grantAccessBySig', node, { patient: wallet.address })).toThrow(/needs doctor/);
    expect(() => intentTypedData('setRegistrarBySig', node, {})).toThrow(/no signed intent/);
  });
});

describe('scopes and key recipients', () => {
  it('maps category names to the contract bits and back', () => {
    expect(scopeMask(['general', 'lab'])).toBe(3);
    expect(scopeNames(0b10000000)).toEqual(['clinical-note']);
    expect(scopeNames(ALL_CATEGORIES)).toHaveLength(12);
    expect(scopeCovers(0b110, 'imaging')).toBe(true);
    expect(scopeCovers(0b110, 'general')).toBe(false);
    expect(permissionsMask(['read', 'append'])).toBe(3);
  });

  it('seals a new version to verified doctors whose unexpired read grant covers its category', () => {
    const doctors = [
      { address: '0x' + '1'.repeat(40), status: 'verified', encryptionKey: '0xaa' },
      { address: '0x' + '2'.repeat(40), status: 'suspended', encryptionKey: '0xbb' },
      { address: '0x' + '3'.repeat(40), status: 'verified', encryptionKey: '0xcc' },
      { address: '0x' + '4'.repeat(40), status: 'verified', encryptionKey: '0xdd' },
    ];
    const grant = (i, scope, permissions, expiry) => ({ doctor: doctors[i].address, scopeMask: scope, permissions, expiry });
    const grants = [
      grant(0, 0b10, ['read'], 200), // lab, live: yes
      grant(1, 0b10, ['read'], 200), // suspended: no
      grant(2, 0b01, ['read', 'append'], 200), // general only: no
      grant(3, 0b10, ['read'], 100), // expired at now: no
    ];
    expect(keyRecipients({ grants, doctors, category: 'lab', now: 100 })).toEqual([{ address: doctors[0].address, encryptionKey: '0xaa' }]);
  });

  it('writes the next version of a record against its newest head, in the same category', () => {
    const v = (version, head, category) => ({ version, head, category });
    const record = { recordId: '0x' + 'ab'.repeat(32), versions: [v(1, '0x' + '01'.repeat(32), 'imaging'), v(2, '0x' + '02'.repeat(32), 'imaging')] };
    expect(nextVersion(record)).toEqual({ version: 3, currentHead: '0x' + '02'.repeat(32), category: 'imaging' });
    // The EIP-712 message the wallet signs has exactly the contract's UpdateRecord fields.
    const typed = intentTypedData('updateRecordBySig', { chainId: 31337, contract: '0x' + '5'.repeat(40) }, {
      recordId: record.recordId, currentHead: nextVersion(record).currentHead, digest: '0x' + '03'.repeat(32),
      nodeId: '0x' + '04'.repeat(32), contentId: '0x' + '03'.repeat(32), nonce: '0', deadline: '1',
    });
    expect(typed.primaryType).toBe('UpdateRecord');
    expect(Object.keys(typed.message)).toEqual(['recordId', 'currentHead', 'digest', 'nodeId', 'contentId', 'nonce', 'deadline']);
    expect(() => nextVersion({ versions: [] })).toThrow('no version');
  });
});

describe('SIWE', () => {
  it('writes the EIP-4361 message medchaind parses, signed by personal_sign', async () => {
    const wallet = Wallet.createRandom();
    const text = siweMessage({ domain: '127.0.0.1:8080', address: wallet.address, chainId: 31337, nonce: 'abcdefgh12345678', issuedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) });
    expect(text).toBe(
      `127.0.0.1:8080 wants you to sign in with your Ethereum account:\n${wallet.address}\n\nSign in to medchain.\n\n` +
        'URI: http://127.0.0.1:8080\nVersion: 1\nChain ID: 31337\nNonce: abcdefgh12345678\nIssued At: 2026-01-02T03:04:05Z',
    );
    expect(verifyMessage(text, await wallet.signMessage(text))).toBe(wallet.address);
  });
});

describe('API client against an HTTP server', () => {
  let server;
  let base;
  const expired = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/v1/me') {
        res.writeHead(401, { 'Content-Type': 'application/problem+json' });
        return res.end(JSON.stringify({ type: '/problems/unauthenticated', title: 'Sign in first', status: 401, detail: 'the session expired', code: 'unauthenticated' }));
      }
      if (req.url === '/v1/records/x') {
        res.writeHead(403, { 'Content-Type': 'application/problem+json' });
        return res.end(JSON.stringify({ type: '/problems/forbidden', title: 'Not allowed', status: 403, detail: 'no grant covers this record', code: 'forbidden' }));
      }
      if (req.url === '/v1/plain') {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        return res.end('<h1>bad gateway</h1>');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('sends the bearer token and reads JSON', async () => {
    const api = createApi({ base, getToken: () => 'tok' });
    expect(await api.get('/v1/node')).toEqual({ auth: 'Bearer tok' });
  });

  it('turns problems into readable errors with the stable code, and reports an expired session', async () => {
    const api = createApi({ base, getToken: () => 'tok', onUnauthenticated: (p) => expired.push(p.code) });
    await expect(api.get('/v1/records/x')).rejects.toMatchObject({ status: 403, code: 'forbidden', message: 'Not allowed: no grant covers this record' });
    await expect(api.get('/v1/me')).rejects.toThrow(/session has expired/);
    expect(expired).toEqual(['unauthenticated']);
    await expect(api.get('/v1/plain')).rejects.toThrow(/answered 502/);
  });

  it('says when the node is unreachable', async () => {
    const api = createApi({ base: 'http://127.0.0.1:1' });
    const error = await api.get('/v1/node').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(/^The node is unreachable/);
  });
});

describe('built-in wallet', () => {
  const storage = {
    items: new Map(),
    getItem(k) { return this.items.get(k) ?? null; },
    setItem(k, v) { this.items.set(k, String(v)); },
  };

  it('stores a key only as keystore v3, unlocks it with the passphrase, exports and re-imports it', async () => {
    const key = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
    await expect(storeKey({ key, passphrase: 'short' }, storage)).rejects.toThrow(/at least 8/);
    const address = await storeKey({ key, passphrase: 'correct horse' }, storage);
    expect(address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(storage.getItem('medchain.wallets')).not.toContain(key.slice(2));
    const keystore = JSON.parse(exportKeystore(address, storage));
    expect(keystore.version).toBe(3);
    expect((keystore.crypto ?? keystore.Crypto).kdf).toBe('scrypt');
    await expect(unlockKey(address, 'wrong passphrase', storage)).rejects.toThrow(/Wrong passphrase/);
    const wallet = await unlockKey(address, 'correct horse', storage);
    expect(verifyMessage('hi', await wallet.signMessage('hi'))).toBe(address);
    expect(wallet.sendTransaction).toBeNull();
    forgetKey(address, storage);
    expect(storedWallets(storage)).toEqual([]);
    expect(await importKeystore({ json: JSON.stringify(keystore), passphrase: 'correct horse' }, storage)).toBe(address);
  }, 60000);
});

describe('QR codes', () => {
  it('reads an address from a plain or EIP-681 QR text and refuses anything else', () => {
    const a = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
    expect(addressFromQrText(a.toLowerCase())).toBe(a);
    expect(addressFromQrText(`ethereum:${a}@31337`)).toBe(a);
    expect(() => addressFromQrText('https://example.com')).toThrow(/does not hold an address/);
  });
});

describe('display', () => {
  it('shortens addresses and durations and describes feed messages', () => {
    expect(shortAddress('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe('0xf39F…2266');
    expect(formatDuration(90061)).toBe('1d 1h');
    expect(formatDuration(0)).toBe('expired');
    expect(describeFeedMessage({ type: 'chain', event: 'AccessRequested', args: { doctor: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' } }, shortAddress)).toBe('A doctor asked for access — doctor 0xf39F…2266');
    const me = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
    expect(describeFeedMessage({ type: 'chain', event: 'AccessGranted', args: { doctor: me.toLowerCase(), patient: '0x' + 'ab'.repeat(20) } }, shortAddress, me)).toBe('Access was granted — patient 0xABaB…ABaB');
    const other = '0x' + '1'.repeat(40);
    expect(isOwnAction({ type: 'chain', event: 'RecordAdded', args: { patient: me, author: me.toLowerCase() } }, me)).toBe(true);
    expect(isOwnAction({ type: 'chain', event: 'RecordAdded', args: { patient: me, author: other } }, me)).toBe(false);
    expect(isOwnAction({ type: 'chain', event: 'AccessRequested', args: { patient: me, doctor: other } }, me)).toBe(false);
    expect(isOwnAction({ type: 'chain', event: 'AccessRequested', args: { patient: other, doctor: me } }, me)).toBe(true);
    expect(isOwnAction({ type: 'chain', event: 'RequestApproved', args: { patient: other, doctor: me, by: other } }, me)).toBe(false);
    expect(isOwnAction({ type: 'audit', entry: { actor: other } }, me)).toBe(false);
    // A patient's escrow policy is named in a sentence, and the patient's own change is not toasted back to them.
    expect(describeFeedMessage({ type: 'chain', event: 'EscrowPolicySet', args: { patient: '0x' + 'ab'.repeat(20) } }, shortAddress, me)).toBe('The emergency custodians changed — patient 0xABaB…ABaB');
    expect(isOwnAction({ type: 'chain', event: 'EscrowPolicySet', args: { patient: me } }, me)).toBe(true);
    expect(isOwnAction({ type: 'chain', event: 'EscrowPolicySet', args: { patient: other } }, me)).toBe(false);
    expect(describeFeedMessage({ type: 'audit', entry: { actor: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', action: 'blob.read', allowed: false } }, shortAddress)).toBe('0xf39F…2266 downloaded a record (refused)');
    expect(describeFeedMessage({ type: 'audit', entry: { actor: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', action: 'request.reason', allowed: true } }, shortAddress)).toBe('0xf39F…2266 left a sealed reason for an access request');
  });
});
