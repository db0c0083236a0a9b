// Record summaries (docs/format.md, "Record summaries"): a version's title, date, kind and
// author's name, readable by exactly the readers of the version, so the record list can be
// searched and filtered in the browser while the node keeps only ciphertext:
//   summary key = BLAKE2b-256(key = content key, message = "medchain summary v1")
//   sealed      = "MCS1" ‖ nonce (24) ‖ XChaCha20-Poly1305-IETF(plaintext, AAD, nonce, key)
//   AAD         = "MCS1" ‖ recordId (32) ‖ version (u32 big-endian) ‖ digest (32)
// The plaintext is {"authorName"?,"date"?,"kind","medchain":"summary/1","title"} with sorted keys
// and no whitespace, at most 2,048 bytes.
import { concatBytes, equalBytes } from './bytes.js';
import { sodium } from './sodium.js';
import { t } from '../i18n/index.js';
import { versionBinding } from './sealedKey.js';

const MAGIC = new TextEncoder().encode('MCS1');
const KEY_MESSAGE = new TextEncoder().encode('medchain summary v1');
export const SUMMARY_FORMAT = 'summary/1';
export const MAX_SUMMARY_PLAINTEXT = 2048;
const NONCE_SIZE = 24;
const TAG_SIZE = 16;
export const MIN_SEALED_SUMMARY = MAGIC.length + NONCE_SIZE + TAG_SIZE;
export const MAX_SEALED_SUMMARY = MIN_SEALED_SUMMARY + MAX_SUMMARY_PLAINTEXT;
const MEMBERS = new Set(['authorName', 'date', 'kind', 'medchain', 'title']);
// A FHIR date or dateTime (seconds optional), as in the C++ reference.
const DATE =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;
const KIND = /^[A-Za-z0-9][A-Za-z0-9.+/-]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const codePoints = (text) => [...text].length;

// Throws with what is wrong; returns the summary with empty optional members removed.
function checked({ title, date = '', kind, authorName = '' }) {
  if (typeof title !== 'string' || !title || codePoints(title) > 200 || CONTROL.test(title)) {
    throw new Error("a summary's title has 1 to 200 characters and no control characters");
  }
  if (typeof date !== 'string' || (date && !DATE.test(date))) {
    throw new Error("a summary's date is a FHIR date or dateTime (YYYY-MM-DD, or with a time)");
  }
  if (typeof kind !== 'string' || !kind || kind.length > 64 || !KIND.test(kind)) {
    throw new Error("a summary's kind is a FHIR resource type or a media type (at most 64 chars)");
  }
  if (typeof authorName !== 'string' || codePoints(authorName) > 100 || CONTROL.test(authorName)) {
    throw new Error("a summary's author name has at most 100 characters, no control characters");
  }
  if (/[\ud800-\udfff]/u.test(title + authorName)) throw new Error("a summary's text is not valid Unicode");
  return { title, date, kind, authorName };
}

// The canonical plaintext bytes of {title, date?, kind, authorName?}.
export function encodeSummary(summary) {
  const { title, date, kind, authorName } = checked(summary);
  const doc = {};
  if (authorName) doc.authorName = authorName;
  if (date) doc.date = date;
  doc.kind = kind;
  doc.medchain = SUMMARY_FORMAT;
  doc.title = title;
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  if (bytes.length > MAX_SUMMARY_PLAINTEXT) throw new Error(`a summary has at most ${MAX_SUMMARY_PLAINTEXT} bytes`);
  return bytes;
}

// Parses and validates a plaintext; returns {title, date, kind, authorName} ('' when absent).
export function decodeSummary(bytes) {
  if (bytes.length > MAX_SUMMARY_PLAINTEXT) throw new Error(`a summary has at most ${MAX_SUMMARY_PLAINTEXT} bytes`);
  let doc;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new Error('a summary is a JSON object');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('a summary is a JSON object');
  for (const [name, value] of Object.entries(doc)) {
    if (!MEMBERS.has(name)) throw new Error(`a summary/1 has no member "${name}"`);
    if (typeof value !== 'string') throw new Error(`a summary's "${name}" is a string`);
  }
  if (doc.medchain !== SUMMARY_FORMAT) throw new Error('not a summary/1 document');
  if ('date' in doc && !doc.date) throw new Error('an empty date is left out');
  return checked(doc);
}

// The AAD: "MCS1" ‖ recordId ‖ version ‖ digest, laid out as a sealed key's binding.
function aadOf(binding) {
  return versionBinding(MAGIC, binding);
}

export async function summaryKey(contentKey) {
  const s = await sodium();
  return s.crypto_generichash(32, KEY_MESSAGE, contentKey);
}

// Seals `summary` for the version `binding` names. `nonce` is for test vectors only: leave it out.
export async function sealSummary(summary, contentKey, binding, nonce) {
  const s = await sodium();
  const plain = encodeSummary(summary);
  const n = nonce ?? s.randombytes_buf(NONCE_SIZE);
  if (n.length !== NONCE_SIZE) throw new Error(`a summary nonce has ${NONCE_SIZE} bytes`);
  const key = await summaryKey(contentKey);
  try {
    const box = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, aadOf(binding), null, n, key);
    return concatBytes([MAGIC, n, box]);
  } finally {
    key.fill(0);
  }
}

// Opens a summary of the version `expected` names ({recordId, version, digest}, from the chain,
// not from the node). Throws when it does not open (another version's, another key's, altered)
// or is not a valid summary.
export async function openSummary(sealed, contentKey, expected) {
  if (sealed.length < MIN_SEALED_SUMMARY || sealed.length > MAX_SEALED_SUMMARY) {
    throw new Error(`a sealed summary has ${MIN_SEALED_SUMMARY} to ${MAX_SEALED_SUMMARY} bytes, got ${sealed.length}`);
  }
  if (!equalBytes(sealed.subarray(0, MAGIC.length), MAGIC)) throw new Error('not a sealed summary (no "MCS1")');
  const s = await sodium();
  const key = await summaryKey(contentKey);
  let plain;
  try {
    plain = s.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null, sealed.subarray(MAGIC.length + NONCE_SIZE), aadOf(expected), sealed.subarray(MAGIC.length, MAGIC.length + NONCE_SIZE), key,
    );
  } catch {
    throw new Error(t('state.chain.summaryNotOpening'));
  } finally {
    key.fill(0);
  }
  return decodeSummary(plain);
}
