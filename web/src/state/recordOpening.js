// Opening one version of a record in the browser (docs/format.md): the checks against the chain,
// the sealed key, the download and the decryption. Its own module because the patient's details
// (patientDetails.js) open a record and the writes (actions.js) read the details for the author's
// name: each imports this, neither the other's importer.
import { checkedVersion, requireChain } from '../chain/verify.js';
import { t } from '../i18n/index.js';
import { decryptEnvelope, decodeDocument, openContentKey, checkDigest, fromHex } from '../crypto/index.js';

// Downloads, checks and decrypts one version. The version's digest and author must be the
// chain's, the sealed key must be bound to that record, version and digest, and the blob must
// hash to that digest; `checkedAgainstChain` says all of it ran.
export async function openRecord(ctx, { recordId, version, onProgress }) {
  const { api, encryptionKey } = ctx;
  if (!encryptionKey) throw new Error(t('state.actions.unlockFirst'));
  const { digest: chainDigest } = await checkedVersion(requireChain(ctx), recordId, version);
  let key;
  try {
    key = await api.get(`/v1/records/${recordId}/versions/${version.version}/key`);
  } catch (error) {
    if (error.status === 404) {
      throw Object.assign(new Error(t('state.actions.noKey')), { noKey: true });
    }
    throw error;
  }
  const binding = { recordId, version: version.version, digest: chainDigest };
  let contentKey;
  try {
    contentKey = await openContentKey(fromHex(key.sealedKey), binding, encryptionKey);
  } catch (error) {
    throw new Error(t('state.actions.refusedToOpen', { version: version.version, reason: error.message }));
  }
  const ciphertext = await api.downloadBlob(chainDigest, onProgress);
  const digest = checkDigest(ciphertext, chainDigest);
  return { ...decodeDocument(await decryptEnvelope(contentKey, ciphertext)), digest, checkedAgainstChain: true };
}
