// Salted commitments to text that stays off chain (docs/format.md, "Reasons and licences"): a
// doctor's reason for an access request. The chain holds only keccak256(salt ‖ UTF-8 text); the
// 32 random bytes of salt keep a short or common reason ("Follow-up visit") from being found by
// hashing guesses. The reason reaches the patient as a note sealed to the patient's key:
//   crypto_box_seal("MCN1" ‖ salt (32) ‖ UTF-8 reason (at most 1,024 bytes))
// which the patient's app opens and checks against the hash on chain, so a node can neither read
// a reason nor pass off one of its own (a sealed box is anonymous: anyone can seal to the
// patient, but nobody but the doctor knows a note whose hash the doctor put on chain).
import { keccak256 } from 'ethers';
import { concatBytes, equalBytes, fromHex } from './bytes.js';
import { sodium } from './sodium.js';
import { t } from '../i18n/index.js';

const MAGIC = new TextEncoder().encode('MCN1');
const SALT_SIZE = 32;
const HEADER_SIZE = MAGIC.length + SALT_SIZE;
const SEAL_OVERHEAD = 48; // crypto_box_SEALBYTES
export const MAX_REASON_BYTES = 1024;
export const NO_REASON_HASH = `0x${'0'.repeat(64)}`;
export const MIN_SEALED_REASON = SEAL_OVERHEAD + HEADER_SIZE;
export const MAX_SEALED_REASON = MIN_SEALED_REASON + MAX_REASON_BYTES;

const utf8 = (text) => new TextEncoder().encode(text);

// {salt, text}: `text` with a fresh random salt.
export async function saltText(text) {
  const s = await sodium();
  return { salt: s.randombytes_buf(SALT_SIZE), text };
}

// keccak256(salt ‖ UTF-8 text), 0x hex: what goes on chain.
export function saltedHash({ salt, text }) {
  if (salt.length !== SALT_SIZE) throw new Error(`a salt has ${SALT_SIZE} bytes, got ${salt.length}`);
  return keccak256(concatBytes([salt, utf8(text)]));
}

// The note for the patient: the salted reason sealed to `patientPublicKey` (32 bytes).
export async function sealReasonNote(salted, patientPublicKey) {
  const text = utf8(salted.text);
  if (text.length > MAX_REASON_BYTES) throw new Error(`a reason has at most ${MAX_REASON_BYTES} bytes, this one ${text.length}`);
  if (salted.salt.length !== SALT_SIZE) throw new Error(`a salt has ${SALT_SIZE} bytes, got ${salted.salt.length}`);
  const s = await sodium();
  const plain = concatBytes([MAGIC, salted.salt, text]);
  try {
    return s.crypto_box_seal(plain, patientPublicKey);
  } finally {
    plain.fill(0);
  }
}

function openWithAny(s, sealed, keyPairs) {
  for (const pair of keyPairs) {
    try {
      return s.crypto_box_seal_open(sealed, pair.publicKey, pair.secretKey);
    } catch {
      /* not this key: try the next */
    }
  }
  throw new Error(t('state.chain.reasonNotOpening'));
}

// Opens a note with any of `keyPairs` ({publicKey, secretKey}) and returns its {salt, text}
// only if keccak256(salt ‖ text) is `expectedHash`, the request's reason hash as the chain holds
// it. Throws otherwise, and never returns a text that does not match.
export async function openReasonNote(sealed, expectedHash, keyPairs) {
  if (sealed.length < MIN_SEALED_REASON || sealed.length > MAX_SEALED_REASON) {
    throw new Error(`a sealed reason has ${MIN_SEALED_REASON} to ${MAX_SEALED_REASON} bytes, got ${sealed.length}`);
  }
  const s = await sodium();
  const plain = openWithAny(s, sealed, keyPairs);
  if (!equalBytes(plain.subarray(0, MAGIC.length), MAGIC)) throw new Error('the sealed reason is not in a known format');
  const salt = plain.slice(MAGIC.length, HEADER_SIZE);
  const textBytes = plain.slice(HEADER_SIZE);
  // The hash is over the bytes as sealed, so it is checked before they are decoded.
  const hash = keccak256(concatBytes([salt, textBytes]));
  if (!equalBytes(fromHex(hash), fromHex(expectedHash))) {
    throw new Error(t('state.chain.reasonDiffers'));
  }
  return { salt, text: new TextDecoder().decode(textBytes) };
}
