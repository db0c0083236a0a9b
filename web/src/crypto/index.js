// The browser's half of docs/format.md: everything a client computes so that the node and the
// chain never see plaintext.
export {
  encryptionKeyTypedData, encryptionKeyDigest, deriveEncryptionKey, walletEncryptionKey, ENCRYPTION_KEY_PURPOSE,
  FORMAT_1, format2, nextGeneration, describeDerivation,
} from './encryptionKey.js';
export { newContentKey, encryptEnvelope, decryptEnvelope, Encryptor, Decryptor, ciphertextSize } from './envelope.js';
export { makeManifest, encodeDocument, decodeDocument } from './document.js';
export { sealContentKey, openContentKey } from './sealedKey.js';
export { sealSummary, openSummary, encodeSummary, decodeSummary, MAX_SEALED_SUMMARY } from './summary.js';
export { saltText, saltedHash, sealReasonNote, openReasonNote, NO_REASON_HASH, MAX_REASON_BYTES } from './saltedText.js';
export { digestHex, newDigest, checkDigest } from './digest.js';
export { toHex, fromHex } from './bytes.js';
