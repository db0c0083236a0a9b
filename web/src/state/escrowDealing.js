// The patient's side of the emergency escrow (docs/format.md, "Policy and dealing"), as
// `medchain emergency escrow set` does it: each custodian's key from the chain, a fresh k-of-n
// dealing, the policy's hash set on chain (setEscrowPolicy: a direct call, so a browser wallet
// with ether), the document published on the patient's node and on each custodian's, each
// custodian's sealed share deposited at its node (signed in there as the patient), and the key of
// every existing version the patient holds wrapped to the new escrow key. Re-running deals a new
// escrow, so a failure part way is safe to retry.
import { Interface, getAddress } from 'ethers';
import abi from '../generated/medchain-abi.json';
import { fromHex, toHex } from '../crypto/bytes.js';
import { openContentKey } from '../crypto/sealedKey.js';
import { dealEscrow, sealEscrowShare } from '../crypto/escrow.js';
import { policyDocumentText, policyHash } from '../crypto/escrowPolicy.js';
import { checkedVersion, requireChain } from '../chain/verify.js';
import { custodianSession, storeEscrowKey } from './emergencyEscrow.js';
import { t } from '../i18n/index.js';

const contract = new Interface(abi);

// A PUT that the node refuses (409) until it has indexed the block that set the policy.
async function putWhenIndexed(api, path, body) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.put(path, body);
    } catch (error) {
      if (error.code !== 'escrow_policy_not_on_chain' || attempt >= 60) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// Sets `patient`'s escrow: `custodians` [{account, url}] in order, `threshold` k. onStep(text)
// as it goes. Returns {policyHash, threshold, custodians, versionsWrapped}.
export async function setEmergencyEscrow(ctx, { patient, threshold, custodians }, unlockEncryptionKey, onStep = () => {}) {
  const { api, wallet, node } = ctx;
  const chain = requireChain(ctx);
  if (!wallet.sendTransaction) throw new Error(t('escrow.set.needsBrowserWallet'));
  onStep(t('escrow.set.step.keys'));
  const entries = [];
  for (const c of custodians) {
    const encryptionKey = await chain.custodianKey(c.account);
    if (!encryptionKey) throw new Error(t('escrow.set.noCustodianKey', { account: getAddress(c.account) }));
    entries.push({ account: getAddress(c.account), encryptionKey, url: c.url.trim().replace(/\/+$/, '') });
  }
  onStep(t('escrow.set.step.deal'));
  const dealt = await dealEscrow({ threshold, count: entries.length });
  const text = policyDocumentText({ patient, threshold, custodians: entries, commitments: dealt.commitments });
  const hash = policyHash(text);
  const sealed = [];
  for (const [i, c] of entries.entries()) {
    sealed.push(await sealEscrowShare({ patient, escrowKey: dealt.escrowKey, index: i + 1, threshold, count: entries.length, share: dealt.shares[i].share }, fromHex(c.encryptionKey)));
  }
  // The secrets are not needed again: only the sealed shares leave this function.
  for (const s of dealt.shares) s.share.fill(0);
  dealt.coefficients.fill(0n);

  onStep(t('escrow.set.step.chain'));
  const tx = await wallet.sendTransaction({ to: node.contract, data: contract.encodeFunctionData('setEscrowPolicy', [hash]) });
  await wallet.waitForReceipt(tx);
  if ((await chain.escrowPolicy(patient)) !== hash) throw new Error(t('escrow.set.notOnChain'));

  onStep(t('escrow.set.step.publish'));
  await putWhenIndexed(api, `/v1/patients/${patient}/escrow-policy`, { document: text });
  for (const [i, c] of entries.entries()) {
    onStep(t('escrow.set.step.deposit', { index: i + 1, url: c.url }));
    try {
      const there = await custodianSession(wallet, c.url, node.chainId);
      await putWhenIndexed(there, `/v1/patients/${patient}/escrow-policy`, { document: text });
      await putWhenIndexed(there, `/v1/patients/${patient}/escrow-share`, { policyHash: hash, sealedShare: toHex(sealed[i]) });
      there.post('/v1/auth/logout').catch(() => {});
    } catch (error) {
      throw new Error(t('escrow.set.depositFailed', { index: i + 1, url: c.url, reason: error.message }));
    }
  }

  onStep(t('escrow.set.step.wrap'));
  const encryptionKey = await unlockEncryptionKey();
  const { records } = await api.get(`/v1/patients/${patient}/records`);
  let versionsWrapped = 0;
  for (const record of records) {
    for (const version of record.versions) {
      let mine;
      try {
        mine = await api.get(`/v1/records/${record.recordId}/versions/${version.version}/key`);
      } catch (error) {
        if (error.status === 404) continue; // a version the patient holds no key of
        throw error;
      }
      const { digest } = await checkedVersion(chain, record.recordId, version);
      const binding = { recordId: record.recordId, version: version.version, digest };
      const contentKey = await openContentKey(fromHex(mine.sealedKey), binding, encryptionKey);
      await storeEscrowKey(api, binding, contentKey, { escrowKey: dealt.escrowKey, policyHash: hash });
      versionsWrapped++;
    }
  }
  return { policyHash: hash, threshold, custodians: entries, versionsWrapped };
}
