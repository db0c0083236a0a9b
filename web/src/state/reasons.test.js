// A request's reason through the app (docs/format.md, "Reasons and licences"): the doctor's side
// leaves the note before relaying the salted hash, sealed to the chain's key of the patient; the
// patient's side shows a text only when its note opens and matches the hash on chain. The node
// and the chain are fakes here; web/e2e runs the same against a real node and chain.
import { describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { requestAccess, requestReason } from './reasons.js';
import { sodium } from '../crypto/sodium.js';
import { NO_REASON_HASH, fromHex, openReasonNote, saltText, saltedHash, sealReasonNote, toHex } from '../crypto/index.js';

const patient = Wallet.createRandom().address;
const doctor = Wallet.createRandom();
const node = { chainId: 31337, contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3', nodeId: `0x${'04'.repeat(32)}` };

async function keyPair() {
  const { publicKey, privateKey } = (await sodium()).crypto_box_keypair();
  return { publicKey, secretKey: privateKey };
}

// A node that records the writes it is asked for, in order.
function fakeNode(answers) {
  const sent = [];
  return {
    sent,
    get: async (path) => {
      if (!(path in answers)) throw new Error(`unexpected GET ${path}`);
      return answers[path];
    },
    put: async (path, body) => sent.push({ call: `PUT ${path}`, body }),
    post: async (path, body) => sent.push({ call: `POST ${path}`, body }),
  };
}

const wallet = {
  address: doctor.address,
  signTypedData: ({ types: { EIP712Domain: _domain, ...types }, domain, message }) => doctor.signTypedData(domain, types, message),
};

describe("the doctor's request", () => {
  it('leaves the note, sealed to the chain\'s key of the patient, before relaying its salted hash', async () => {
    const pair = await keyPair();
    const key = toHex(pair.publicKey);
    const api = fakeNode({ [`/v1/patients/${patient}`]: { encryptionKey: key }, [`/v1/accounts/${doctor.address}/nonce`]: { nonce: '0' } });
    const chain = { patientKey: async () => key };
    await requestAccess({ api, chain, wallet, node }, { patient, scope: 2, permissions: 1, duration: 3600, reason: 'Follow-up visit' });
    const [note, relayed] = api.sent;
    expect(api.sent.map((s) => s.call.replace(/0x[0-9a-f]{64}$/, 'HASH'))).toEqual([`PUT /v1/doctors/${doctor.address}/reasons/HASH`, 'POST /v1/relay']);
    const hash = note.call.split('/').pop();
    expect(relayed.body.function).toBe('requestAccessBySig');
    expect(relayed.body.message.reasonHash).toBe(hash);
    expect(note.body.patient).toBe(patient);
    const opened = await openReasonNote(fromHex(note.body.sealedReason), hash, [pair]);
    expect(opened.text).toBe('Follow-up visit');
    expect(saltedHash(opened)).toBe(hash);
  });

  it("relays nothing when the node's key for the patient is not the chain's", async () => {
    const api = fakeNode({ [`/v1/patients/${patient}`]: { encryptionKey: toHex((await keyPair()).publicKey) } });
    const chain = { patientKey: async () => toHex((await keyPair()).publicKey) };
    const asking = requestAccess({ api, chain, wallet, node }, { patient, scope: 2, permissions: 1, duration: 3600, reason: 'Referral' });
    await expect(asking).rejects.toThrow(/another encryption key for patient/);
    expect(api.sent).toEqual([]);
  });

  it('without a reason relays the zero hash and leaves no note', async () => {
    const api = fakeNode({ [`/v1/accounts/${doctor.address}/nonce`]: { nonce: '0' } });
    await requestAccess({ api, chain: null, wallet, node }, { patient, scope: 2, permissions: 1, duration: 3600, reason: '' });
    expect(api.sent.map((s) => s.call)).toEqual(['POST /v1/relay']);
    expect(api.sent[0].body.message.reasonHash).toBe(NO_REASON_HASH);
  });
});

describe("the patient's view of a reason", () => {
  // A request as the node lists it, with the doctor's note, and a chain whose AccessRequested
  // event carries `onChain` (the doctor's hash unless a test says otherwise).
  async function listed(text, pair) {
    const salted = await saltText(text);
    const reasonHash = saltedHash(salted);
    const sealedReason = toHex(await sealReasonNote(salted, pair.publicKey));
    return { requestId: '12345', reasonHash, sealedReason };
  }
  const chainHolding = (hash) => ({ requestReasonHash: async () => hash });

  it('shows the text of a note that opens and matches the hash on chain', async () => {
    const pair = await keyPair();
    const request = await listed('Second opinion', pair);
    expect(await requestReason({ chain: chainHolding(request.reasonHash) }, request, [pair])).toEqual({ kind: 'opened', text: 'Second opinion', checkedAgainstChain: true });
  });

  it('says when the hash could not be checked against the chain', async () => {
    const pair = await keyPair();
    const request = await listed('Second opinion', pair);
    expect(await requestReason({ chain: null }, request, [pair])).toEqual({ kind: 'opened', text: 'Second opinion', checkedAgainstChain: false });
  });

  it("refuses the node's own note, sealed to the patient, whatever hash the node lists with it", async () => {
    const pair = await keyPair();
    const doctors = await listed('Second opinion', pair);
    const nodes = await listed('Insurance assessment', pair);
    const onlyNote = await requestReason({ chain: chainHolding(doctors.reasonHash) }, { ...doctors, sealedReason: nodes.sealedReason }, [pair]);
    expect(onlyNote).toEqual({ kind: 'refused', error: "the node's reason does not match the hash the doctor put on chain" });
    const noteAndHash = await requestReason({ chain: chainHolding(doctors.reasonHash) }, { ...doctors, ...nodes, requestId: doctors.requestId }, [pair]);
    expect(noteAndHash).toEqual({ kind: 'refused', error: 'the node lists another reason hash for this request than the chain holds' });
    const unknown = await requestReason({ chain: chainHolding(null) }, doctors, [pair]);
    expect(unknown).toEqual({ kind: 'refused', error: 'the chain has no access request 12345' });
  });

  it('refuses a note that does not open with the patient\'s keys', async () => {
    const request = await listed('Referral', await keyPair());
    const judged = await requestReason({ chain: chainHolding(request.reasonHash) }, request, [await keyPair()]);
    expect(judged.kind).toBe('refused');
    expect(judged.error).toMatch(/does not open with your keys/);
    expect(JSON.stringify(judged)).not.toContain('Referral');
  });

  it('tells no reason from a reason the node does not have', async () => {
    expect(await requestReason({ chain: null }, { requestId: '1', reasonHash: NO_REASON_HASH }, [])).toEqual({ kind: 'none' });
    expect(await requestReason({ chain: null }, { requestId: '1', reasonHash: `0x${'ab'.repeat(32)}` }, [])).toEqual({ kind: 'missing' });
  });
});
