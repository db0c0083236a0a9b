// The portals' writes and reads refuse a node whose answers differ from the chain before anything
// is uploaded, relayed or decrypted (issue #15). The node is a fake here; web/e2e/attacks.test.mjs
// runs the same attacks against a real node and chain.
import { describe, expect, it } from 'vitest';
import { Wallet, hexlify, randomBytes } from 'ethers';
import { addRecord, approveRequest, grantAccess, openRecord } from './actions.js';

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
const chain = {
  patientKey: async () => patientKey,
  doctor: async () => ({ verified: true, encryptionKey: doctorKey }),
  isGuardian: async () => false,
  canRead: async () => true,
  recordVersion: async () => ({ digest: bytes32(), author: patient }),
};
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
    api.put = async (_path, { keys }) => (sealedTo = keys.map((k) => k.recipient));
    api.post = async () => ({ transactionHash: bytes32() });
    const ctx = {
      api,
      chain: { ...chain, canRead: async (_patient, reader) => reader === doctor },
      wallet: { address: patient, signTypedData: async () => '0x' },
      node: { chainId: 31337, contract: Wallet.createRandom().address, nodeId: bytes32() },
    };
    await addRecord(ctx, { patient, category: 'lab', resource });
    expect(sealedTo).toEqual([patient, doctor]);
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
