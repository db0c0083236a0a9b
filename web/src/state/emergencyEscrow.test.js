// The doctor's side of the emergency escrow in the app (state/emergencyEscrow.js) against the
// "escrow" vectors of tests/data/format_vectors.json (docs/format.md, "Emergency escrow"): the
// policy a node serves checked against the chain's hash, and the content key gathered from the
// custodians' sealed partials (the vectors' own, as the C++ custodians sealed them), with the
// refusals: another policy, too few custodians, a window refusal, a partial that does not verify,
// one of another custodian or of another version. Each custodian is a function returning what its
// node would (the network is exercised by e2e/emergency-escrow.test.mjs).
import { describe, expect, it } from 'vitest';
import { keccak256, toUtf8Bytes } from 'ethers';
import { readFileSync } from 'node:fs';
import { fromHex, toHex } from '../crypto/bytes.js';
import { policyDocumentText } from '../crypto/escrowPolicy.js';
import { sodium } from '../crypto/sodium.js';
import { checkServedPolicy, keyFromCustodians } from './emergencyEscrow.js';

const escrow = JSON.parse(readFileSync(new URL('../../../tests/data/format_vectors.json', import.meta.url), 'utf8')).escrow;
const custodians = escrow.shares.map((s, i) => ({ account: `0x${String(i + 1).repeat(40)}`, encryptionKey: s.custodianPublic, url: `http://127.0.0.1:${9000 + i}` }));
const text = policyDocumentText({ patient: escrow.patient, threshold: escrow.threshold, custodians, commitments: escrow.commitments.map(fromHex) });
const onChain = keccak256(toUtf8Bytes(text));
const doctor = { publicKey: fromHex(escrow.doctorPublic), secretKey: fromHex(escrow.doctorSecret) };
const versionOf = (wrap) => ({ recordId: wrap.recordId, version: wrap.version, digest: wrap.digest });
const [wrapOne, wrapTwo] = escrow.wraps;

// Custodian i answers with `answers[i]` (a sealed partial, or an error it throws); by default
// with its vector partial of `wrap`. Records who was asked.
function custodiansAnswering(wrap, answers = {}) {
  const asked = [];
  const ask = async (custodian) => {
    asked.push(custodian.index);
    const answer = answers[custodian.index];
    if (answer instanceof Error) throw answer;
    return answer ?? fromHex(wrap.partials.find((p) => p.index === custodian.index).sealed);
  };
  return { ask, asked };
}

function read(wrap, ask) {
  const policy = checkServedPolicy(text, onChain, escrow.patient);
  return keyFromCustodians({ policy, binding: versionOf(wrap), wrapped: fromHex(wrap.wrapped), keyPair: doctor, ask });
}

describe('the served escrow policy', () => {
  it('is taken when it hashes to the chain value and names the patient', () => {
    const policy = checkServedPolicy(text, onChain.toUpperCase().replace('0X', '0x'), escrow.patient.toLowerCase());
    expect(policy.hash).toBe(onChain.toLowerCase());
    expect(policy.threshold).toBe(2);
    expect(policy.custodians.map((c) => c.index)).toEqual([1, 2, 3]);
    expect(toHex(policy.commitments[0])).toBe(escrow.escrowKey);
  });

  it('is refused when the chain names another hash, or it is another patient\'s', () => {
    expect(() => checkServedPolicy(JSON.stringify(JSON.parse(text), null, 1), onChain, escrow.patient)).toThrow(/not the one the chain names/);
    expect(() => checkServedPolicy(text, `0x${'00'.repeat(31)}01`, escrow.patient)).toThrow(/not the one the chain names/);
    const other = text.replace(escrow.patient.toLowerCase(), `0x${'4'.repeat(40)}`);
    expect(() => checkServedPolicy(other, keccak256(toUtf8Bytes(other)), escrow.patient)).toThrow(/not the one the chain names/);
  });
});

describe('the content key from the custodians', () => {
  it('opens each vector version from the first two custodians, asking no third', async () => {
    for (const wrap of escrow.wraps) {
      const { ask, asked } = custodiansAnswering(wrap);
      const got = await read(wrap, ask);
      expect(toHex(got.contentKey)).toBe(wrap.contentKey);
      expect(got).toMatchObject({ used: 2, count: 3, threshold: 2, skipped: [] });
      expect(asked).toEqual([1, 2]);
    }
  });

  it('skips a custodian that is down and names it', async () => {
    const { ask, asked } = custodiansAnswering(wrapOne, { 1: new Error('fetch failed') });
    const got = await read(wrapOne, ask);
    expect(toHex(got.contentKey)).toBe(wrapOne.contentKey);
    expect(asked).toEqual([1, 2, 3]);
    expect(got.skipped).toHaveLength(1);
    expect(got.skipped[0]).toMatch(/http:\/\/127\.0\.0\.1:9000 was skipped: fetch failed/);
  });

  it('refuses with too few partials, and says a custodian saw no window', async () => {
    const down = new Error('fetch failed');
    await expect(read(wrapOne, custodiansAnswering(wrapOne, { 1: down, 3: down }).ask)).rejects.toThrow('1 of the 3 custodians answered; the escrow needs 2.');
    const noWindow = Object.assign(new Error('no open emergency window'), { code: 'no_emergency_window' });
    await expect(read(wrapOne, custodiansAnswering(wrapOne, { 2: noWindow, 3: noWindow }).ask)).rejects.toThrow('The custodians refused to release the key: no open emergency window');
  });

  it('skips a partial that does not verify, one of another custodian and one of another version', async () => {
    const s = await sodium();
    const plain = fromHex(wrapOne.partials[0].plaintext);
    plain[232] ^= 0x01; // the proof's z altered: still a scalar, no longer a proof
    const forged = s.crypto_box_seal(plain, doctor.publicKey);
    const cases = [
      [{ 1: forged }, /does not prove itself/],
      [{ 1: fromHex(wrapOne.partials[1].sealed) }, /answered as custodian 2/],
      [{ 1: fromHex(wrapTwo.partials[0].sealed) }, /was skipped/],
    ];
    for (const [answers, reason] of cases) {
      const got = await read(wrapOne, custodiansAnswering(wrapOne, answers).ask);
      expect(toHex(got.contentKey)).toBe(wrapOne.contentKey);
      expect(got.skipped).toHaveLength(1);
      expect(got.skipped[0]).toMatch(reason);
    }
    // Two bad partials of three leave too few.
    await expect(read(wrapOne, custodiansAnswering(wrapOne, { 1: forged, 2: fromHex(wrapTwo.partials[1].sealed) }).ask)).rejects.toThrow(/1 of the 3 custodians answered/);
  });

  it('refuses a partial sealed to another doctor', async () => {
    const s = await sodium();
    const other = s.crypto_box_keypair();
    const sealed = s.crypto_box_seal(fromHex(wrapOne.partials[0].plaintext), other.publicKey);
    const got = await read(wrapOne, custodiansAnswering(wrapOne, { 1: sealed }).ask);
    expect(got.skipped).toHaveLength(1);
    expect(toHex(got.contentKey)).toBe(wrapOne.contentKey);
  });
});
