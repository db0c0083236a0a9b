// Content keys wrapped for one recipient (docs/format.md, "Content keys"). Format 2 seals the
// key together with what it unlocks, so a node cannot answer a request for one version with a
// genuine key of another:
//   crypto_box_seal("MCK2" ‖ recordId (32) ‖ version (u32 big-endian) ‖ digest (32) ‖ key (32))
// = 152 bytes. Format 1 (the key alone, 80 bytes) still opens, for data written before.
import { concatBytes, equalBytes, fromHex } from './bytes.js';
import { sodium } from './sodium.js';
import { t } from '../i18n/index.js';

const MAGIC = new TextEncoder().encode('MCK2');
const BOUND_SIZE = 4 + 32 + 4 + 32 + 32;
export const SEALED_KEY_SIZE = BOUND_SIZE + 48;
export const LEGACY_SEALED_KEY_SIZE = 32 + 48;

// magic ‖ recordId ‖ version (u32, big-endian) ‖ digest: what a sealed key (and a record
// summary's AAD) binds to. `binding` is {recordId, version, digest} (ids and digest as 0x hex,
// version a number).
export function versionBinding(magic, { recordId, version, digest }) {
  if (!Number.isInteger(version) || version < 1 || version > 0xffffffff) throw new Error(`not a version number: ${version}`);
  const number = new Uint8Array(4);
  new DataView(number.buffer).setUint32(0, version);
  const id = fromHex(recordId);
  const hash = fromHex(digest);
  if (id.length !== 32 || hash.length !== 32) throw new Error('a record id and a digest are 32 bytes');
  return concatBytes([magic, id, number, hash]);
}

function bindingBytes(binding) {
  return versionBinding(MAGIC, binding);
}

export async function sealContentKey(contentKey, binding, recipientPublicKey) {
  const s = await sodium();
  return s.crypto_box_seal(concatBytes([bindingBytes(binding), contentKey]), recipientPublicKey);
}

// Opens a key sealed to `keyPair`; `expected` ({recordId, version, digest}) is what the reader
// asked for, as the chain lists it. Throws "cannot open the sealed key" when it was not sealed
// to this key pair or was altered, and "sealed for another …" when it unlocks something else.
export async function openContentKey(sealed, expected, keyPair) {
  if (sealed.length !== SEALED_KEY_SIZE && sealed.length !== LEGACY_SEALED_KEY_SIZE) {
    throw new Error(`a sealed key has ${SEALED_KEY_SIZE} bytes (${LEGACY_SEALED_KEY_SIZE} in format 1), got ${sealed.length}`);
  }
  const s = await sodium();
  let plain;
  try {
    plain = s.crypto_box_seal_open(sealed, keyPair.publicKey, keyPair.secretKey);
  } catch {
    throw new Error(t('state.chain.keyNotOpening'));
  }
  if (sealed.length === LEGACY_SEALED_KEY_SIZE) return plain;
  const want = bindingBytes(expected);
  if (!equalBytes(plain.subarray(0, 4), MAGIC)) throw new Error('the sealed key is not in a known format');
  if (!equalBytes(plain.subarray(0, 40), want.subarray(0, 40))) {
    throw new Error(t('state.chain.keyForAnotherVersion'));
  }
  if (!equalBytes(plain.subarray(40, 72), want.subarray(40, 72))) {
    throw new Error(t('state.chain.keyForAnotherCiphertext'));
  }
  return plain.slice(BOUND_SIZE - 32);
}
