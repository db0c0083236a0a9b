// The emergency escrow in the app: a writer wrapping a new version's key to the patient's escrow
// key (escrowContentKey), and a doctor's emergency read through the escrow (docs/format.md, "Emergency escrow";
// the CLI's `medchain emergency read`): when no key of a version was shared with the doctor and
// the doctor's emergency window on the patient is open, the version's wrapped key comes from the
// doctor's node, then each custodian the patient's policy names is asked at its own node (signed
// in there with the doctor's wallet) until k partials whose proofs hold are in. A custodian that
// is down, refuses or sends a partial that does not prove itself is skipped and named. The
// policy is the chain's (its hash), the binding the chain's digest, so no node can slip in
// another escrow or version.
import { getAddress } from 'ethers';
import { createApi } from '../api/client.js';
import { fromHex, toHex } from '../crypto/bytes.js';
import { openEscrowPartial, openEscrowWrappedKey, wrapForEscrow } from '../crypto/escrow.js';
import { parsePolicyDocument, policyHash } from '../crypto/escrowPolicy.js';
import { signInWithEthereum } from '../wallet/siwe.js';
import { categoryIndex } from '../chain/scopes.js';
import { requireChain } from '../chain/verify.js';
import { shortAddress } from '../util/format.js';
import { t } from '../i18n/index.js';

// Whether `doctor`'s emergency window on `patient` is open now, as the chain says: the window
// runs and the chain lets the doctor read the version's category (a window of an older epoch,
// after the patient turned emergency access off, does not).
export async function emergencyWindowOpen(chain, { patient, doctor, category }) {
  const until = await chain.emergencyUntil(patient, doctor);
  if (until <= Math.floor(Date.now() / 1000)) return false;
  const index = categoryIndex(category);
  return index < 0 ? true : chain.canRead(patient, doctor, index);
}

// The patient's policy as the doctor's node serves it, checked against the chain's hash.
export async function checkedEscrowPolicy(ctx, patient) {
  const onChain = await requireChain(ctx).escrowPolicy(patient);
  const noPolicy = () => Object.assign(new Error(t('escrow.read.noPolicy')), { noKey: true });
  if (!onChain) throw noPolicy();
  let served;
  try {
    served = await ctx.api.get(`/v1/patients/${patient}/escrow-policy`);
  } catch (error) {
    if (error.status === 404) throw noPolicy();
    throw error;
  }
  return checkServedPolicy(served.document, onChain, patient);
}

// The policy document `text` a node served for `patient`, parsed, when it hashes to the chain's
// `onChainHash` and is that patient's; throws otherwise (a node cannot slip in another escrow).
export function checkServedPolicy(text, onChainHash, patient) {
  if (policyHash(text) !== onChainHash?.toLowerCase()) throw new Error(t('escrow.read.policyNotOnChain'));
  const policy = parsePolicyDocument(text);
  if (getAddress(policy.patient) !== getAddress(patient)) throw new Error(t('escrow.read.policyNotOnChain'));
  return { ...policy, hash: onChainHash.toLowerCase() };
}

// Signed in at a custodian's node with the caller's wallet (SIWE for that node's domain, on our
// chain); returns its client.
export async function custodianSession(wallet, url, chainId) {
  let token = null;
  const api = createApi({ base: url.replace(/\/+$/, ''), getToken: () => token });
  const info = await api.get('/v1/node');
  if (info.chainId !== chainId) throw new Error(t('escrow.read.otherChain', { chainId: info.chainId }));
  token = (await signInWithEthereum(api, wallet, { domain: info.siweDomain, chainId })).token;
  return api;
}

// The sealed partial of the custodian `api` is signed in at, for `wrappedHex` (version `binding`
// of `patient`, wrapped under `policy`).
export async function askPartial(api, { policy, patient, binding, wrappedHex }) {
  const released = await api.post(`/v1/patients/${patient}/escrow-partials`, {
    recordId: binding.recordId, version: binding.version, policyHash: policy.hash, wrappedKey: wrappedHex,
  });
  return fromHex(released.sealedPartial);
}

// One custodian's sealed partial for `wrapped`, asked at its own node.
async function sealedPartialFrom(ctx, custodian, request) {
  const api = await custodianSession(ctx.wallet, custodian.url, ctx.node.chainId);
  try {
    return await askPartial(api, request);
  } finally {
    api.post('/v1/auth/logout').catch(() => {});
  }
}

// The escrow-wrapped key the node stores for version `binding` ({wrappedKey, policyHash}),
// refused (`noKey`) when the version was never escrowed or was escrowed under another policy
// than `policy`, the one on chain now.
export async function escrowedKeyOf(api, binding, policy) {
  let escrowed;
  try {
    escrowed = await api.get(`/v1/records/${binding.recordId}/versions/${binding.version}/escrow-key`);
  } catch (error) {
    if (error.status === 404) throw Object.assign(new Error(t('escrow.read.notEscrowed')), { noKey: true });
    throw error;
  }
  if (escrowed.policyHash?.toLowerCase() !== policy.hash) throw Object.assign(new Error(t('escrow.read.olderPolicy')), { noKey: true });
  return escrowed;
}

// The content key of `wrapped` (version `binding`) from the custodians of `policy`, asked in
// order through `ask(custodian)` (resolves to its sealed partial) until k partials that open with
// `keyPair` and prove themselves are in. A custodian that fails, refuses, sends a partial that
// does not verify or one of another index is skipped and named. Returns {contentKey, used,
// count, threshold, skipped}; throws when fewer than k answered (a window refusal first).
export async function keyFromCustodians({ policy, binding, wrapped, keyPair, ask, onCustodian }) {
  const partials = [];
  const skipped = [];
  let refusal = null;
  for (const custodian of policy.custodians) {
    if (partials.length === policy.threshold) break;
    onCustodian?.({ asked: custodian, answered: partials.length, threshold: policy.threshold });
    try {
      const sealed = await ask(custodian);
      const partial = await openEscrowPartial(sealed, { policy, wrapped, version: binding, keyPair });
      if (partial.index !== custodian.index) throw new Error(t('escrow.read.wrongIndex', { index: partial.index }));
      partials.push(partial);
    } catch (error) {
      if (error.code === 'no_emergency_window' || error.code === 'not_verified_doctor') refusal ??= error;
      skipped.push(t('escrow.read.skipped', { custodian: shortAddress(getAddress(custodian.account)), url: custodian.url, reason: error.message }));
    }
  }
  if (partials.length < policy.threshold) {
    if (refusal) throw new Error(t('escrow.read.refused', { reason: refusal.message }));
    throw new Error(t('escrow.read.tooFew', { answered: partials.length, count: policy.count, threshold: policy.threshold }));
  }
  const contentKey = await openEscrowWrappedKey(wrapped, binding, policy, partials);
  return { contentKey, used: partials.length, count: policy.count, threshold: policy.threshold, skipped };
}

// The content key of version `binding` ({recordId, version, digest: the chain's}) of `patient`
// through the escrow. Returns {contentKey, used, count, threshold, skipped: [text]}; throws when
// fewer than k custodians answer (the refusal of a custodian that saw no window first).
export async function contentKeyThroughEscrow(ctx, { patient, binding, onCustodian }) {
  const policy = await checkedEscrowPolicy(ctx, patient);
  const escrowed = await escrowedKeyOf(ctx.api, binding, policy);
  const wrapped = fromHex(escrowed.wrappedKey);
  return keyFromCustodians({
    policy, binding, wrapped, keyPair: ctx.encryptionKey, onCustodian,
    ask: (custodian) => sealedPartialFrom(ctx, custodian, { policy, patient, binding, wrappedHex: escrowed.wrappedKey }),
  });
}

// With an escrow policy of `patient` on chain, wraps a new version's content key to its escrow
// key (docs/format.md, "Wrapping a content key") and stores it with the version (PUT
// …/escrow-key), as the CLI's `records add|update` do. Returns whether it did (no policy: false).
export async function escrowContentKey(ctx, patient, binding, contentKey) {
  if (!(await requireChain(ctx).escrowPolicy(patient))) return false;
  const policy = await checkedEscrowPolicy(ctx, patient);
  await storeEscrowKey(ctx.api, binding, contentKey, { escrowKey: policy.commitments[0], policyHash: policy.hash });
  return true;
}

// Wraps one version's content key to an escrow key and stores it with the version under the
// policy's hash (the escrow key is the policy's first commitment).
export async function storeEscrowKey(api, binding, contentKey, { escrowKey, policyHash }) {
  const wrapped = await wrapForEscrow(contentKey, binding, escrowKey);
  await api.put(`/v1/records/${binding.recordId}/versions/${binding.version}/escrow-key`, { policyHash, wrappedKey: toHex(wrapped) });
}
