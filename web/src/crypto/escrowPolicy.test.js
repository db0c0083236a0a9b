// The escrow policy document as the C++ client writes and parses it
// (src/medchain/custody/policy_document.cpp): key order, lower-case hex, the hash of the text as
// published, and the refusals.
import { describe, expect, it } from 'vitest';
import { keccak256, toUtf8Bytes } from 'ethers';
import { readFileSync } from 'node:fs';
import { fromHex } from './bytes.js';
import { parsePolicyDocument, policyDocumentText, policyHash } from './escrowPolicy.js';

const escrow = JSON.parse(readFileSync(new URL('../../../tests/data/format_vectors.json', import.meta.url), 'utf8')).escrow;
const custodians = escrow.shares.map((s, i) => ({ account: `0x${String(i + 1).repeat(40)}`, encryptionKey: s.custodianPublic, url: `http://127.0.0.1:${9000 + i}` }));
const document = { patient: escrow.patient, threshold: 2, custodians, commitments: escrow.commitments.map(fromHex) };

describe('escrow policy document', () => {
  it('writes compact JSON in the C++ key order and parses it back', () => {
    const text = policyDocumentText(document);
    expect(text.startsWith(`{"format":1,"patient":"${escrow.patient.toLowerCase()}","threshold":2,"custodians":[{"index":1,"account":"0x1111`)).toBe(true);
    expect(text.endsWith(`"commitments":["${escrow.commitments[0]}","${escrow.commitments[1]}"]}`)).toBe(true);
    const parsed = parsePolicyDocument(text);
    expect(parsed.threshold).toBe(2);
    expect(parsed.count).toBe(3);
    expect(parsed.custodians[2]).toEqual({ index: 3, account: `0x${'3'.repeat(40)}`, encryptionKey: escrow.shares[2].custodianPublic, url: 'http://127.0.0.1:9002' });
    expect(policyHash(text)).toBe(keccak256(toUtf8Bytes(text)));
    // Any formatting parses, but only the published text hashes to the chain's value.
    const spaced = JSON.stringify(JSON.parse(text), null, 2);
    expect(parsePolicyDocument(spaced)).toEqual(parsed);
    expect(policyHash(spaced)).not.toBe(policyHash(text));
  });

  it('refuses what the C++ parser refuses', () => {
    const text = policyDocumentText(document);
    const edit = (change) => { const json = JSON.parse(text); change(json); return JSON.stringify(json); };
    expect(() => parsePolicyDocument('[]')).toThrow(/malformed/);
    expect(() => parsePolicyDocument('{"format":2}')).toThrow(/not supported/);
    expect(() => parsePolicyDocument(edit((j) => { j.commitments.pop(); }))).toThrow(/k commitments/);
    expect(() => parsePolicyDocument(edit((j) => { j.threshold = 4; }))).toThrow(/2 ≤ k ≤ n/);
    expect(() => parsePolicyDocument(edit((j) => { j.custodians[1].account = j.custodians[0].account; }))).toThrow(/appears twice/);
    expect(() => parsePolicyDocument(edit((j) => { j.custodians[1].index = 3; }))).toThrow(/in order/);
    expect(() => parsePolicyDocument(edit((j) => { j.commitments[0] = `0x${'ff'.repeat(32)}`; }))).toThrow(/not a ristretto255 point/);
  });
});
