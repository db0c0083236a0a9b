// Content keys wrapped for one recipient: crypto_box_seal to their X25519 public key (80 bytes).
import { sodium } from './sodium.js';

export async function sealContentKey(contentKey, recipientPublicKey) {
  const s = await sodium();
  return s.crypto_box_seal(contentKey, recipientPublicKey);
}

// Throws "cannot open the sealed key" when it was not sealed to this key pair or was altered.
export async function openContentKey(sealed, keyPair) {
  const s = await sodium();
  let key;
  try {
    key = s.crypto_box_seal_open(sealed, keyPair.publicKey, keyPair.secretKey);
  } catch {
    throw new Error('cannot open the sealed key: it was not sealed to this account or was altered');
  }
  if (key.length !== 32) throw new Error(`a content key is 32 bytes, the sealed key holds ${key.length}`);
  return key;
}
