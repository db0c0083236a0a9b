// Who a new version's summary names as its author (state/authorName.js): a patient writing in
// their own file is named by their "My details" record, as the CLI names them; a guardian writing
// in a ward's file is not named by the ward's details. The node is a fake answering from real
// ciphertext: the details record is encrypted, its key sealed and its summary sealed as a real
// client writes them, and the written summary is opened with the patient's key.
import { describe, expect, it } from 'vitest';
import { Wallet, hexlify, randomBytes } from 'ethers';
import { addRecord } from './actions.js';
import { ownAuthorName } from './authorName.js';
import { patientResource } from './patientDetails.js';
import { sodium } from '../crypto/sodium.js';
import {
  digestHex, encodeDocument, encryptEnvelope, fromHex, makeManifest, newContentKey, openContentKey, openSummary,
  sealContentKey, sealSummary, toHex,
} from '../crypto/index.js';

const bytes32 = () => hexlify(randomBytes(32));
const observation = { resourceType: 'Observation', status: 'final', code: { text: 'HbA1c' }, valueQuantity: { value: 6.1, unit: '%' } };

// A patient whose file holds one details record (a Patient resource, or what the form makes of
// `details`) as a real client writes it,
// and a node that serves it: the listing with sealed summaries and keys, the key, the ciphertext.
async function patientWithDetails(details) {
  const s = await sodium();
  const { publicKey, privateKey } = s.crypto_box_keypair();
  const pair = { publicKey, secretKey: privateKey };
  const patient = Wallet.createRandom().address;
  const recordId = bytes32();
  const contentKey = await newContentKey();
  const ciphertext = await encryptEnvelope(contentKey, encodeDocument(makeManifest(details.resourceType ? details : patientResource(details))));
  const digest = digestHex(ciphertext);
  const binding = { recordId, version: 1, digest };
  const sealedKey = toHex(await sealContentKey(contentKey, binding, publicKey));
  const summary = toHex(await sealSummary({ title: 'Patient details', kind: 'Patient' }, contentKey, binding));
  const version = { version: 1, digest, author: patient, category: 'general', blockNumber: 7, summary };
  const answers = {
    [`/v1/patients/${patient}`]: { encryptionKey: toHex(publicKey), guardians: [] },
    [`/v1/patients/${patient}/records`]: { records: [{ recordId, patient, versions: [version] }] },
    [`/v1/patients/${patient}/records?include=keys`]: { records: [{ recordId, patient, versions: [{ ...version, sealedKey }] }] },
    [`/v1/records/${recordId}/versions/1/key`]: { sealedKey },
    '/v1/doctors': { doctors: [] },
    [`/v1/patients/${patient}/grants`]: { grants: [] },
    [`/v1/accounts/${patient}/nonce`]: { nonce: '0' },
  };
  const stored = {};
  const api = {
    get: async (path) => {
      if (!(path in answers)) throw Object.assign(new Error(`unexpected GET ${path}`), { status: 404 });
      return answers[path];
    },
    post: async () => ({ transactionHash: bytes32() }),
    put: async (path, body) => Object.assign(stored, body),
    uploadBlob: async () => {},
    downloadBlob: async (wanted) => {
      expect(wanted).toBe(digest);
      return ciphertext;
    },
  };
  const chain = {
    patientKey: async () => toHex(publicKey),
    isGuardian: async () => false,
    guardians: async () => [],
    canRead: async () => true,
    recordVersion: async (id, n) => (id === recordId && n === 1 ? { digest, author: patient } : null),
    deployment: async () => ({ chainId: 31337, contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }),
    escrowPolicy: async () => null, // no emergency escrow: nothing is wrapped
  };
  const ctx = {
    api,
    chain,
    encryptionKey: pair,
    wallet: { address: patient, signTypedData: async () => `0x${'11'.repeat(65)}` },
    node: { chainId: 31337, contract: Wallet.createRandom().address, nodeId: bytes32() },
  };
  return { patient, pair, ctx, stored };
}

describe("a version's author name", () => {
  it("is the patient's own name from their details when the patient writes", async () => {
    const { patient, pair, ctx, stored } = await patientWithDetails({ given: 'Anna', family: 'Rossi', birthDate: '1970-03-01' });
    const written = await addRecord(ctx, { patient, category: 'lab', resource: observation });
    expect(written.summary.authorName).toBe('Anna Rossi');
    // What the node stored opens, with the patient's own key, to the same name.
    const binding = { recordId: written.recordId, version: 1, digest: written.digest };
    const mine = stored.keys.find((k) => k.recipient === patient);
    const contentKey = await openContentKey(fromHex(mine.sealedKey), binding, pair);
    const summary = await openSummary(fromHex(stored.summary), contentKey, binding);
    expect(summary).toMatchObject({ title: 'HbA1c', kind: 'Observation', authorName: 'Anna Rossi' });
  });

  it("is not the ward's name when a guardian writes, nor any name with the key locked", async () => {
    const { patient, ctx } = await patientWithDetails({ given: 'Anna', family: 'Rossi' });
    expect(await ownAuthorName(ctx, patient)).toBe('Anna Rossi');
    const guardian = { ...ctx, wallet: { ...ctx.wallet, address: Wallet.createRandom().address } };
    expect(await ownAuthorName(guardian, patient)).toBe('');
    expect(await ownAuthorName({ ...ctx, encryptionKey: null }, patient)).toBe('');
  });

  it('leaves out a name the summary format refuses rather than cutting it', async () => {
    // Another client's Patient, with a name longer than this app's form or a summary allows.
    const { patient, ctx } = await patientWithDetails({ resourceType: 'Patient', name: [{ text: `Anna ${'R'.repeat(100)}` }] });
    expect(await ownAuthorName(ctx, patient)).toBe('');
  });
});
