// The portals' writes and reads refuse a node whose answers differ from the chain before anything
// is uploaded, relayed or decrypted (issue #15). The node is a fake here; web/e2e/attacks.test.mjs
// runs the same attacks against a real node and chain.
import { describe, expect, it } from 'vitest';
import { Wallet, hexlify, randomBytes } from 'ethers';
import { addRecord, approveRequest, correctCategory, describeSharing, grantAccess, openRecord, shareExistingKeys, shareKeysWithGuardian } from './actions.js';
import { categorySigner, categoryTypedData } from '../chain/categoryStatement.js';
import { sodium } from '../crypto/sodium.js';
import { fromHex, newContentKey, openContentKey, sealContentKey, toHex } from '../crypto/index.js';

const bytes32 = () => hexlify(randomBytes(32));

function fakeNode(answers) {
  const sent = [];
  return {
    sent,
    get: async (path) => {
      if (!(path in answers)) throw new Error(`unexpected GET ${path}`);
      return answers[path];
    },
    post: async (path) => sent.push(`POST ${path}`),
    put: async (path) => sent.push(`PUT ${path}`),
    uploadBlob: async () => sent.push('upload'),
    downloadBlob: async () => sent.push('download'),
  };
}

const patient = Wallet.createRandom().address;
const doctor = Wallet.createRandom().address;
const [patientKey, doctorKey] = [bytes32(), bytes32()];
const DEPLOYMENT = { chainId: 31337, contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
const chain = {
  patientKey: async () => patientKey,
  doctor: async () => ({ verified: true, encryptionKey: doctorKey }),
  isGuardian: async () => false,
  guardians: async () => [],
  canRead: async () => true,
  recordVersion: async () => ({ digest: bytes32(), author: patient }),
  deployment: async () => DEPLOYMENT,
  escrowPolicy: async () => null, // no emergency escrow: nothing is wrapped
};

// A wallet that signs typed data as eth_signTypedData_v4 would (src/wallet/builtin.js).
function signer(wallet = Wallet.createRandom()) {
  return {
    address: wallet.address,
    signTypedData: ({ types: { EIP712Domain: _domain, ...types }, domain, message }) => wallet.signTypedData(domain, types, message),
  };
}
const resource = { resourceType: 'Observation', status: 'final', code: { text: 'HbA1c' }, valueQuantity: { value: 6.1, unit: '%' } };

describe('the chain decides who gets a key', () => {
  it('leaves out a doctor the node lists as a reader but the chain does not let read', async () => {
    const outsider = Wallet.createRandom().address;
    const grant = (address) => ({ doctor: address, scopeMask: 0b10, permissions: ['read'], expiry: 4102444800 });
    const api = fakeNode({
      [`/v1/patients/${patient}`]: { encryptionKey: patientKey, guardians: [] },
      '/v1/doctors': { doctors: [doctor, outsider].map((address) => ({ address, status: 'verified', encryptionKey: doctorKey })) },
      [`/v1/patients/${patient}/grants`]: { grants: [grant(doctor), grant(outsider)] },
      [`/v1/accounts/${patient}/nonce`]: { nonce: '0' },
    });
    let sealedTo;
    let summaryStored;
    api.put = async (path, { keys, summary }) => {
      if (keys) sealedTo = keys.map((k) => k.recipient);
      if (summary) summaryStored = { path, summary }; // after the keys: docs/format.md, "Record summaries"
    };
    api.post = async () => ({ transactionHash: bytes32() });
    const ctx = {
      api,
      chain: { ...chain, canRead: async (_patient, reader) => reader === doctor },
      wallet: { address: patient, signTypedData: async () => `0x${'11'.repeat(65)}` },
      node: { chainId: 31337, contract: Wallet.createRandom().address, nodeId: bytes32() },
    };
    await addRecord(ctx, { patient, category: 'lab', resource });
    expect(sealedTo).toEqual([patient, doctor]);
    expect(summaryStored.path).toMatch(/\/versions\/1\/summary$/);
    expect(summaryStored.summary).toMatch(/^0x4d435331/); // "MCS1"
  });
});

describe('new versions are sealed to the guardians the chain names (issue #16)', () => {
  const keyed = Wallet.createRandom().address;
  const keyless = Wallet.createRandom().address;
  const guardianKey = bytes32();
  const setup = (nodeGuardians) => {
    const api = fakeNode({
      [`/v1/patients/${patient}`]: { encryptionKey: patientKey, guardians: nodeGuardians },
      [`/v1/patients/${keyed}`]: { encryptionKey: guardianKey, guardians: [] },
      '/v1/doctors': { doctors: [] },
      [`/v1/patients/${patient}/grants`]: { grants: [] },
      [`/v1/accounts/${patient}/nonce`]: { nonce: '0' },
    });
    const get = api.get;
    api.get = async (path) => {
      if (path === `/v1/patients/${keyless}`) throw Object.assign(new Error('not found'), { status: 404 });
      return get(path);
    };
    api.post = async () => ({ transactionHash: bytes32() });
    const ctx = {
      api,
      chain: { ...chain, guardians: async () => [keyed, keyless], patientKey: async (a) => (a === patient ? patientKey : a === keyed ? guardianKey : null) },
      wallet: { address: patient, signTypedData: async () => `0x${'11'.repeat(65)}` },
      node: { chainId: 31337, contract: Wallet.createRandom().address, nodeId: bytes32() },
    };
    return { api, ctx };
  };

  it('seals to a guardian with a key and names one without a key apart', async () => {
    const { api, ctx } = setup([keyed, keyless]);
    let sealedTo;
    api.put = async (_path, { keys }) => {
      if (keys) sealedTo = keys.map((k) => k.recipient);
    };
    const result = await addRecord(ctx, { patient, category: 'mental-health', resource });
    expect(sealedTo).toEqual([patient, keyed]);
    expect(result.guardiansWithoutKey).toEqual([keyless]);
  });

  it('refuses, before uploading, a node that leaves out a guardian', async () => {
    const { api, ctx } = setup([keyless]);
    await expect(addRecord(ctx, { patient, category: 'lab', resource })).rejects.toThrow(/leaves out guardian/);
    expect(api.sent).toEqual([]);
  });
});

describe('adding a guardian shares the keys of every version, whatever its category', () => {
  it("reseals the patient's own key of each version to the guardian's key", async () => {
    const s = await sodium();
    const pair = () => {
      const { publicKey, privateKey } = s.crypto_box_keypair();
      return { publicKey, secretKey: privateKey };
    };
    const patientPair = pair();
    const guardianPair = pair();
    const guardian = Wallet.createRandom().address;
    const recordId = bytes32();
    const digests = [bytes32(), bytes32()];
    const contentKeys = [await newContentKey(), await newContentKey()];
    const versions = [
      { version: 1, digest: digests[0], author: patient, category: 'mental-health' },
      { version: 2, digest: digests[1], author: patient, category: null },
    ];
    const answers = { [`/v1/patients/${patient}/records`]: { records: [{ recordId, versions }] } };
    for (const [i, v] of versions.entries()) {
      const sealed = await sealContentKey(contentKeys[i], { recordId, version: v.version, digest: v.digest }, patientPair.publicKey);
      answers[`/v1/records/${recordId}/versions/${v.version}/key`] = { sealedKey: toHex(sealed) };
    }
    const api = fakeNode(answers);
    const stored = [];
    api.put = async (path, { keys }) => stored.push({ path, ...keys[0] });
    const ctx = { api, chain: { ...chain, recordVersion: async (_id, n) => ({ digest: digests[n - 1], author: patient }) }, encryptionKey: patientPair };
    const { shared } = await shareKeysWithGuardian(ctx, { patient, guardian, guardianKey: toHex(guardianPair.publicKey) });
    expect(shared).toBe(2);
    for (const [i, v] of versions.entries()) {
      expect(stored[i].recipient).toBe(guardian);
      const opened = await openContentKey(fromHex(stored[i].sealedKey), { recordId, version: v.version, digest: v.digest }, guardianPair);
      expect(toHex(opened)).toBe(toHex(contentKeys[i]));
    }
  });
});

describe('a version is uploaded with its category statement', () => {
  it("sends the uploader's signature over the ciphertext's digest and the category", async () => {
    const writer = signer();
    const api = fakeNode({
      [`/v1/patients/${writer.address}`]: { encryptionKey: patientKey, guardians: [] },
      '/v1/doctors': { doctors: [] },
      [`/v1/patients/${writer.address}/grants`]: { grants: [] },
      [`/v1/accounts/${writer.address}/nonce`]: { nonce: '0' },
    });
    let upload;
    api.uploadBlob = async (_bytes, headers) => (upload = headers);
    api.post = async () => ({ transactionHash: bytes32() });
    const ctx = { api, chain, wallet: writer, node: { chainId: 31337, contract: Wallet.createRandom().address, nodeId: bytes32() } };
    await addRecord(ctx, { patient: writer.address, category: 'imaging', resource });
    const statement = { patient: writer.address, digest: upload.digest, category: 'imaging' };
    expect(categorySigner(DEPLOYMENT, statement, upload.categorySignature)).toBe(writer.address);
  });
});

describe('existing keys are shared only for categories their author or the patient stated', () => {
  const recordId = bytes32();
  const author = signer(); // a doctor who wrote versions of the patient's record
  const guardian = signer();
  const outsider = signer();
  const me = signer(); // the patient
  const digests = Array.from({ length: 6 }, bytes32);
  const state = (by, category, digest) => by.signTypedData(categoryTypedData(DEPLOYMENT, { patient: me.address, digest, category }));
  const keyPair = async () => {
    const { publicKey, privateKey } = (await sodium()).crypto_box_keypair();
    return { publicKey, secretKey: privateKey };
  };

  it('shares a version stated by its author, the patient or a guardian, and counts the others', async () => {
    const patientPair = await keyPair();
    const doctorPair = await keyPair();
    const contentKey = await newContentKey();
    const version = (n, category, categorySignature) => ({ version: n, digest: digests[n - 1], category, categorySignature });
    const versions = [
      version(1, 'lab', await state(author, 'lab', digests[0])), // the author's: shared
      version(2, 'lab', await state(me, 'lab', digests[1])), // the patient's: shared
      version(3, 'lab', await state(guardian, 'lab', digests[2])), // a guardian's: shared
      version(4, 'lab', await state(author, 'mental-health', digests[3])), // relabelled by the node: not shared
      version(5, 'lab', null), // unsigned: not shared
      version(6, 'lab', await state(outsider, 'lab', digests[5])), // anyone else's: not shared
      { ...version(7, 'general', null), digest: bytes32() }, // outside the grant: not even looked at
    ];
    const answers = { [`/v1/patients/${me.address}/records`]: { records: [{ recordId, patient: me.address, versions }] } };
    for (const v of versions) {
      const binding = { recordId, version: v.version, digest: v.digest };
      answers[`/v1/records/${recordId}/versions/${v.version}/key`] = { sealedKey: toHex(await sealContentKey(contentKey, binding, patientPair.publicKey)) };
    }
    const api = fakeNode(answers);
    const sealed = {};
    api.put = async (path, { keys }) => (sealed[path] = keys);
    const ctx = {
      api,
      encryptionKey: patientPair,
      chain: {
        ...chain,
        recordVersion: async (_id, n) => ({ digest: digests[n - 1], author: author.address }),
        isGuardian: async (_patient, who) => who === guardian.address,
      },
    };
    const doctorAddress = Wallet.createRandom().address;
    const answer = await shareExistingKeys(ctx, { patient: me.address, doctor: doctorAddress, doctorKey: toHex(doctorPair.publicKey), scopeMask: 0b10 });
    expect(answer).toEqual({ shared: 3, unstated: 3 });
    expect(Object.keys(sealed)).toEqual([1, 2, 3].map((n) => `/v1/records/${recordId}/versions/${n}/keys`));
    const [{ recipient, sealedKey }] = sealed[`/v1/records/${recordId}/versions/1/keys`];
    expect(recipient).toBe(doctorAddress);
    expect(await openContentKey(fromHex(sealedKey), { recordId, version: 1, digest: digests[0] }, doctorPair)).toEqual(contentKey);
  });

  it('says how many versions it did not share, and why', () => {
    expect(describeSharing('Access granted', { shared: 1, unstated: 0 })).toBe('Access granted; 1 record key shared');
    expect(describeSharing('Approved', { shared: 0, unstated: 1 })).toBe('Approved; 0 record keys shared. 1 version not shared: its category is not signed by its author or you.');
    expect(describeSharing('Access granted', { shared: 2, unstated: 3 })).toMatch(/3 versions not shared: their category is not signed by their author or you\.$/);
  });
});

describe('a category is corrected by a statement over the chain\'s digest', () => {
  it('signs the chain digest of the version and sends the statement to the node', async () => {
    const me = signer();
    const record = { recordId: bytes32(), patient: me.address, versions: [{ version: 1, digest: bytes32(), author: me.address, category: 'general' }] };
    const api = fakeNode({ [`/v1/records/${record.recordId}`]: record });
    let patched;
    api.patch = async (path, body) => (patched = { path, body });
    const ctx = { api, wallet: me, chain: { ...chain, recordVersion: async () => ({ digest: record.versions[0].digest, author: me.address }) } };
    await correctCategory(ctx, { record, version: record.versions[0], category: 'lab' });
    expect(patched.path).toBe(`/v1/records/${record.recordId}/versions/1`);
    expect(patched.body.category).toBe('lab');
    const statement = { patient: me.address, digest: record.versions[0].digest, category: 'lab' };
    expect(categorySigner(DEPLOYMENT, statement, patched.body.signature)).toBe(me.address);
  });

  it("signs nothing for a version whose digest the node gives otherwise than the chain", async () => {
    const me = signer();
    const record = { recordId: bytes32(), patient: me.address, versions: [{ version: 1, digest: bytes32(), author: me.address, category: 'general' }] };
    const api = fakeNode({});
    api.patch = async () => api.sent.push('PATCH');
    await expect(correctCategory({ api, wallet: me, chain }, { record, version: record.versions[0], category: 'lab' })).rejects.toThrow(/not the chain's/);
    expect(api.sent).toEqual([]);
  });
});

describe('a lying node is refused before anything is sent', () => {
  it("adds no record when the node's patient key is not the chain's", async () => {
    const api = fakeNode({ [`/v1/patients/${patient}`]: { encryptionKey: bytes32(), guardians: [] }, '/v1/doctors': { doctors: [] } });
    const ctx = { api, chain, wallet: { address: patient }, node: { chainId: 31337 } };
    await expect(addRecord(ctx, { patient, category: 'lab', resource })).rejects.toThrow(/another encryption key for patient/);
    expect(api.sent).toEqual([]);
  });

  it("grants nothing when the node's doctor key is not the chain's", async () => {
    const api = fakeNode({ '/v1/doctors': { doctors: [{ address: doctor, status: 'verified', encryptionKey: patientKey }] } });
    const ctx = { api, chain, wallet: { address: patient }, node: { chainId: 31337 } };
    await expect(grantAccess(ctx, { patient, doctor, scope: 2, permissions: 1, expiry: '9999999999' }, async () => null)).rejects.toThrow(/another encryption key for doctor/);
    expect(api.sent).toEqual([]);
  });

  it("approves no request when the node's key for the requesting doctor is not the chain's", async () => {
    const api = fakeNode({ '/v1/doctors': { doctors: [{ address: doctor, status: 'verified', encryptionKey: bytes32() }] } });
    const ctx = { api, chain, wallet: { address: patient }, node: { chainId: 31337 } };
    const request = { requestId: '1', doctor };
    await expect(approveRequest(ctx, { patient, request, scope: 2, permissions: 1, duration: 3600 }, async () => null)).rejects.toThrow(/another encryption key for doctor/);
    expect(api.sent).toEqual([]);
  });

  it("opens no version whose digest is not the chain's, and nothing without a chain", async () => {
    const api = fakeNode({});
    const version = { version: 1, digest: bytes32(), author: patient };
    await expect(openRecord({ api, chain, encryptionKey: {} }, { recordId: bytes32(), version })).rejects.toThrow(/not the chain's; refused to open it/);
    await expect(openRecord({ api, chain: null, encryptionKey: {} }, { recordId: bytes32(), version })).rejects.toThrow(/cannot check the node/);
    expect(api.sent).toEqual([]);
  });
});
