// Opening one version of a record in the browser (docs/format.md): the checks against the chain,
// the sealed key, the download and the decryption. Its own module because the patient's details
// (patientDetails.js) open a record and the writes (actions.js) read the details for the author's
// name: each imports this, neither the other's importer.
import { getAddress } from 'ethers';
import { checkedVersion, requireChain } from '../chain/verify.js';
import { t } from '../i18n/index.js';
import { contentKeyThroughEscrow, emergencyWindowOpen } from './emergencyEscrow.js';
import { decryptEnvelope, decodeDocument, openContentKey, checkDigest, fromHex } from '../crypto/index.js';

// Downloads, checks and decrypts one version. The version's digest and author must be the
// chain's, the sealed key must be bound to that record, version and digest, and the blob must
// hash to that digest; `checkedAgainstChain` says all of it ran. A doctor with no key of the
// version but an emergency window on the patient open gets the key through the patient's escrow
// (state/emergencyEscrow.js); `escrow` then says how ({used, count, threshold, skipped}).
export async function openRecord(ctx, { recordId, version, onProgress }) {
  const { api, encryptionKey } = ctx;
  if (!encryptionKey) throw new Error(t('state.actions.unlockFirst'));
  const { digest: chainDigest } = await checkedVersion(requireChain(ctx), recordId, version);
  const binding = { recordId, version: version.version, digest: chainDigest };
  let key;
  let escrow = null;
  try {
    key = await api.get(`/v1/records/${recordId}/versions/${version.version}/key`);
  } catch (error) {
    if (error.status !== 404) throw error;
    escrow = await throughEmergencyEscrow(ctx, binding, version.category);
    if (!escrow) throw Object.assign(new Error(t('state.actions.noKey')), { noKey: true });
  }
  let contentKey = escrow?.contentKey;
  try {
    contentKey ??= await openContentKey(fromHex(key.sealedKey), binding, encryptionKey);
  } catch (error) {
    throw new Error(t('state.actions.refusedToOpen', { version: version.version, reason: error.message }));
  }
  const ciphertext = await api.downloadBlob(chainDigest, onProgress);
  const digest = checkDigest(ciphertext, chainDigest);
  const opened = { ...decodeDocument(await decryptEnvelope(contentKey, ciphertext)), digest, checkedAgainstChain: true };
  if (escrow) opened.escrow = { used: escrow.used, count: escrow.count, threshold: escrow.threshold, skipped: escrow.skipped };
  return opened;
}

// The escrow's answer for `binding` when the caller's emergency window on the record's patient is
// open on chain, else null (no window: the caller simply holds no key).
async function throughEmergencyEscrow(ctx, binding, category) {
  const chain = requireChain(ctx);
  const { patient } = await ctx.api.get(`/v1/records/${binding.recordId}`);
  const me = getAddress(ctx.wallet.address);
  if (!(await emergencyWindowOpen(chain, { patient, doctor: me, category }))) return null;
  return contentKeyThroughEscrow(ctx, { patient: getAddress(patient), binding });
}
