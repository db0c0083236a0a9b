// "Restore my records" after a lost-wallet recovery (docs/format.md, "Recovery", "Restoring the
// keys"), as `medchain recovery restore` does: the new controller B of patient A makes A's key on
// chain its own (rotatePatientKey, a transaction of its own), then for every version of A's records whose copy
// does not open with that key asks A's escrow custodians for k partials as A's controller (each
// custodian seals them to A's key on chain, now B's), opens the content key and stores it as A's
// copy sealed to that key. Each custodian is signed in to once per run, not once per version;
// one that is down is skipped and the others are asked. Rerunning skips what opens.
import { Interface, getAddress } from 'ethers';
import medchainAbi from '../generated/medchain-abi.json';
import { askPartial, checkedEscrowPolicy, custodianSession, escrowedKeyOf, keyFromCustodians } from './emergencyEscrow.js';
import { checkedVersion, requireChain } from '../chain/verify.js';
import { fromHex, openContentKey, sealContentKey, toHex } from '../crypto/index.js';
import { t } from '../i18n/index.js';

const INDEX_WAIT_MS = 20000;
const medchain = new Interface(medchainAbi);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A custodian's session, signed in on first use and kept for the run; a failure to sign in is
// kept too, so a custodian that is down is tried once, not once per version.
export function custodianSessions(open) {
  const sessions = new Map();
  return {
    get(url) {
      if (!sessions.has(url)) {
        const session = open(url);
        session.catch(() => {}); // seen by whoever awaits it
        sessions.set(url, session);
      }
      return sessions.get(url);
    },
    async closeAll() {
      for (const session of sessions.values()) {
        try {
          await (await session).post('/v1/auth/logout');
        } catch {
          /* never opened, or already ended */
        }
      }
    },
  };
}

// Waits until the custodian's node names `key` the patient's key: it seals the partials to the key
// its own index holds, and one behind would seal to the lost key. Gives up quietly (the partial
// then fails to open and the custodian is named as skipped).
async function custodianCaughtUp(api, patient, key) {
  for (const deadline = Date.now() + INDEX_WAIT_MS; Date.now() < deadline; await sleep(250)) {
    try {
      if ((await api.get(`/v1/patients/${patient}`)).encryptionKey?.toLowerCase() === key) return;
    } catch {
      /* not indexed yet */
    }
  }
}

// Waits until the node's index names `key` the patient's key (it serves and checks by it).
async function nodeHolds(api, patient, key) {
  for (const deadline = Date.now() + INDEX_WAIT_MS; Date.now() < deadline; await sleep(250)) {
    if ((await api.get(`/v1/patients/${patient}`)).encryptionKey?.toLowerCase() === key) return;
  }
  throw new Error(t('recovery.restore.notIndexed'));
}

async function patientCopyOpens(api, binding, keyPair) {
  try {
    const mine = await api.get(`/v1/records/${binding.recordId}/versions/${binding.version}/key`);
    await openContentKey(fromHex(mine.sealedKey), binding, keyPair);
    return true;
  } catch {
    return false;
  }
}

// Restores what the controller can of `patient`'s records; `keyPair` is the controller's
// encryption key (session.unlockEncryptionKey). onProgress(text) says each step. Returns {keyRotated, restored, already, unrestored: [{recordId, version,
// reason}], skipped: [text]}.
export async function restoreRecords(ctx, { patient, keyPair, onProgress }) {
  const { api, wallet, node } = ctx;
  const chain = requireChain(ctx);
  const me = getAddress(wallet.address);
  if (getAddress(await chain.controllerOf(patient)) !== me) throw new Error(t('recovery.restore.notController', { patient }));
  const mine = toHex(keyPair.publicKey).toLowerCase();

  onProgress?.(t('recovery.restore.step.key'));
  let keyRotated = false;
  if ((await chain.patientKey(patient)) !== mine) {
    // A transaction of the controller's own, as the CLI sends it: an intent's deadline is the
    // browser's clock, which need not be the chain's.
    if (!wallet.sendTransaction) throw new Error(t('recovery.needsWallet'));
    const { contract } = await chain.deployment();
    await wallet.waitForReceipt(await wallet.sendTransaction({ to: contract, data: medchain.encodeFunctionData('rotatePatientKey', [patient, mine]) }));
    await nodeHolds(api, patient, mine);
    keyRotated = true;
  }

  let policy = null;
  try {
    policy = await checkedEscrowPolicy(ctx, patient);
  } catch (error) {
    if (!error.noKey) throw error;
  }
  const sessions = custodianSessions(async (url) => {
    const session = await custodianSession(wallet, url, node.chainId);
    await custodianCaughtUp(session, patient, mine);
    return session;
  });

  const counts = { keyRotated, restored: 0, already: 0, unrestored: [], skipped: new Set() };
  try {
    const { records } = await api.get(`/v1/patients/${patient}/records`);
    const versions = records.flatMap((record) => record.versions.map((version) => ({ record, version })));
    for (const [i, { record, version }] of versions.entries()) {
      onProgress?.(t('recovery.restore.step.version', { done: i, total: versions.length }));
      const { digest } = await checkedVersion(chain, record.recordId, version);
      const binding = { recordId: record.recordId, version: version.version, digest };
      if (await patientCopyOpens(api, binding, keyPair)) {
        counts.already++;
        continue;
      }
      try {
        if (!policy) throw new Error(t('recovery.restore.noEscrow'));
        const escrowed = await escrowedKeyOf(api, binding, policy);
        const answer = await keyFromCustodians({
          policy, binding, wrapped: fromHex(escrowed.wrappedKey), keyPair,
          ask: async (custodian) => askPartial(await sessions.get(custodian.url), { policy, patient, binding, wrappedHex: escrowed.wrappedKey }),
        });
        for (const text of answer.skipped) counts.skipped.add(text);
        const sealed = toHex(await sealContentKey(answer.contentKey, binding, keyPair.publicKey));
        await api.put(`/v1/records/${binding.recordId}/versions/${binding.version}/keys`, { keys: [{ recipient: getAddress(patient), sealedKey: sealed }] });
        counts.restored++;
      } catch (error) {
        counts.unrestored.push({ recordId: binding.recordId, version: binding.version, reason: error.message });
      }
    }
  } finally {
    await sessions.closeAll();
  }
  return { ...counts, skipped: [...counts.skipped] };
}
