// The record digest: SHA-256 of the whole ciphertext blob (docs/format.md). It names the blob on
// the node (Medchain-Digest, /v1/blobs/{digest}) and is what the chain records.
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from './bytes.js';
import { t } from '../i18n/index.js';

// Incremental, so a blob is hashed chunk by chunk as it is produced or downloaded.
export function newDigest() {
  const hash = sha256.create();
  return {
    update(bytes) {
      hash.update(bytes);
      return this;
    },
    hex: () => toHex(hash.digest()),
  };
}

export function digestHex(bytes) {
  return toHex(sha256(bytes));
}

// Refuses a blob whose SHA-256 is not the digest the chain holds for the version.
export function checkDigest(ciphertext, expected) {
  const actual = digestHex(ciphertext);
  if (actual !== expected.toLowerCase()) {
    throw new Error(t('state.chain.blobDiffers', { actual: actual.slice(0, 10), expected: expected.slice(0, 10) }));
  }
  return actual;
}
