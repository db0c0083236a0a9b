// Lost-wallet recovery in the web app (docs/format.md, "Recovery"): the patient's policy (how
// many of their guardians must approve, and the delay in which the patient's key can still
// cancel), a guardian's approval of a new address, and its execution once the delay has passed.
// Each step is a transaction of the account's own to the Recovery contract (it has no
// signed-intent form), so it needs a browser wallet with a little ether, as setting the escrow
// does. Each is checked against the chain first, so a step the contract would refuse is
// explained in words instead of sent.
import { Interface, getAddress, isAddress, ZeroAddress } from 'ethers';
import recoveryAbi from '../generated/recovery-abi.json';
import { t } from '../i18n/index.js';

const recovery = new Interface(recoveryAbi);

export const DEFAULT_DELAY_HOURS = 48; // Recovery.DEFAULT_DELAY, what a policy's 0 means
export const MIN_DELAY_HOURS = 24; // Recovery.MIN_DELAY
export const MAX_DELAY_HOURS = 30 * 24; // Recovery.MAX_DELAY

// Why a policy of `threshold` approvals among `guardians` with `delayHours` cannot be set, or
// null when it can. 0 approvals turns recovery off.
export function policyProblem({ threshold, delayHours, guardians }) {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 255) return t('recovery.policy.badThreshold');
  if (threshold > guardians) return t('recovery.policy.moreThanGuardians', { threshold, guardians });
  if (!Number.isInteger(delayHours) || delayHours < MIN_DELAY_HOURS || delayHours > MAX_DELAY_HOURS) {
    return t('recovery.policy.badDelay', { min: MIN_DELAY_HOURS, max: MAX_DELAY_HOURS });
  }
  return null;
}

// Where a recovery to one address stands: 'none' (no approval this round), 'approving' (fewer
// than the threshold), 'waiting' (approved, the delay running until readyAt) or 'ready'.
// `now` is the chain's clock.
export function recoveryStage({ approvals, threshold, readyAt }, now) {
  if (approvals === 0) return 'none';
  if (readyAt === 0) return 'approving';
  return now < readyAt ? 'waiting' : 'ready';
}

async function send(ctx, fn, args) {
  const { wallet, chain } = ctx;
  if (!chain) throw new Error(t('recovery.needsChain'));
  if (!wallet.sendTransaction) throw new Error(t('recovery.needsWallet'));
  const to = await chain.recoveryContract();
  const hash = await wallet.sendTransaction({ to, data: recovery.encodeFunctionData(fn, args) });
  await wallet.waitForReceipt(hash);
}

// Sets the patient's policy (as the patient, or the address a recovery moved the patient to).
// Voids pending recoveries, as the contract does.
export async function setRecoveryPolicy(ctx, patient, { threshold, delayHours }) {
  const guardians = (await ctx.chain.guardians(patient)).length;
  const problem = policyProblem({ threshold, delayHours, guardians });
  if (problem) throw new Error(problem);
  const delay = delayHours === DEFAULT_DELAY_HOURS ? 0 : delayHours * 3600;
  await send(ctx, 'setPolicy', [patient, threshold, delay]);
}

// Cancels every pending recovery of the patient (as the patient's current key).
export async function cancelRecoveries(ctx, patient) {
  await send(ctx, 'cancel', [patient]);
}

function checkedController(patient, text) {
  if (!isAddress(text)) throw new Error(t('recovery.guardian.notAddress'));
  const controller = getAddress(text);
  if (controller === ZeroAddress || controller === getAddress(patient)) throw new Error(t('recovery.guardian.sameAddress'));
  return controller;
}

// A guardian's approval of `text` as the patient's new address (the first one proposes it).
// Resolves to the recovery's status after it.
export async function approveRecovery(ctx, patient, text) {
  const { chain, wallet } = ctx;
  const controller = checkedController(patient, text);
  if (!(await chain.isGuardian(patient, wallet.address))) throw new Error(t('recovery.guardian.notGuardian'));
  const { threshold } = await chain.recoveryPolicy(patient);
  if (threshold === 0) throw new Error(t('recovery.guardian.off'));
  await send(ctx, 'approve', [patient, controller]);
  return chain.recoveryStatus(patient, controller);
}

// Moves the patient to `text` once enough guardians approved and the delay passed (anyone may).
export async function executeRecovery(ctx, patient, text) {
  const { chain } = ctx;
  const controller = checkedController(patient, text);
  const status = await chain.recoveryStatus(patient, controller);
  const stage = recoveryStage(status, await chain.now());
  if (stage === 'none' || stage === 'approving') throw new Error(t('recovery.guardian.notApproved', status));
  if (stage === 'waiting') throw new Error(t('recovery.guardian.notReady', { time: new Date(status.readyAt * 1000).toLocaleString() }));
  await send(ctx, 'execute', [patient, controller]);
  if (getAddress(await chain.controllerOf(patient)) !== controller) throw new Error(t('recovery.guardian.notExecuted'));
}
