// The escrow's policy document (docs/format.md, "The policy document, custodians and the node's
// part"): compact JSON with the keys in a fixed order, whose keccak-256 of the text exactly as
// published is what the patient sets on chain (setEscrowPolicy). Parsing accepts any formatting
// but checks what src/medchain/custody/policy_document.cpp checks.
import { keccak256, toUtf8Bytes } from 'ethers';
import { fromHex, toHex } from './bytes.js';
import { decodePoint } from './escrow.js';

const isHex = (value, bytes) => typeof value === 'string' && new RegExp(`^0x[0-9a-fA-F]{${2 * bytes}}$`).test(value);
const malformed = (what) => Object.assign(new Error(`the escrow policy document's ${what} is malformed`), { code: 'invalid_json' });

// keccak256 of the text's UTF-8 bytes, 0x hex.
export const policyHash = (text) => keccak256(toUtf8Bytes(text));

// The text a client publishes: {patient, threshold, custodians: [{account, encryptionKey, url}],
// commitments: [bytes]}, hex in lower case as the C++ client writes it.
export function policyDocumentText({ patient, threshold, custodians, commitments }) {
  return JSON.stringify({
    format: 1,
    patient: patient.toLowerCase(),
    threshold,
    custodians: custodians.map((c, i) => ({ index: i + 1, account: c.account.toLowerCase(), encryptionKey: c.encryptionKey.toLowerCase(), url: c.url })),
    commitments: commitments.map((c) => toHex(c)),
  });
}

// {patient, threshold, count, commitments (bytes), custodians: [{index, account, encryptionKey,
// url}]} of a published text; throws on anything the C++ parser refuses.
export function parsePolicyDocument(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed('JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw malformed('JSON');
  if (parsed.format !== 1) throw Object.assign(new Error(`escrow policy format ${parsed.format} is not supported`), { code: 'unsupported' });
  if (!isHex(parsed.patient, 20)) throw malformed('patient');
  const { threshold, custodians, commitments } = parsed;
  if (!Number.isInteger(threshold) || threshold < 0) throw malformed('threshold');
  if (!Array.isArray(custodians)) throw malformed('custodians');
  if (!Array.isArray(commitments)) throw malformed('commitments');
  const count = custodians.length;
  if (threshold < 2 || threshold > count || count > 255 || commitments.length !== threshold) {
    throw Object.assign(new Error('an escrow policy needs 2 ≤ k ≤ n ≤ 255 and k commitments'), { code: 'invalid_argument' });
  }
  const points = commitments.map((c) => {
    if (!isHex(c, 32)) throw malformed('commitments');
    const bytes = fromHex(c);
    decodePoint(bytes, 'a commitment');
    return bytes;
  });
  const seen = new Set();
  const entries = custodians.map((entry, i) => {
    if (!entry || typeof entry !== 'object') throw malformed('custodians');
    if (entry.index !== i + 1) throw Object.assign(new Error('custodian indices must be 1, 2, ... in order'), { code: 'invalid_argument' });
    if (!isHex(entry.account, 20)) throw malformed('account');
    if (!isHex(entry.encryptionKey, 32)) throw malformed('encryptionKey');
    if (typeof entry.url !== 'string') throw malformed('url');
    const account = entry.account.toLowerCase();
    if (seen.has(account)) throw Object.assign(new Error(`custodian ${account} appears twice`), { code: 'invalid_argument' });
    seen.add(account);
    return { index: i + 1, account, encryptionKey: entry.encryptionKey.toLowerCase(), url: entry.url };
  });
  return { patient: parsed.patient.toLowerCase(), threshold, count, commitments: points, custodians: entries };
}
