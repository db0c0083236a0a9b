// A recovered patient's new address in the web app (docs/format.md, "Recovery"): after k of the
// patient's guardians moved patient A to address B and the delay passed, B acts as A. The node
// lists A under B's /v1/me `controllerOf`; the app believes the chain, not the node, about who
// acts for whom.
import { getAddress } from 'ethers';

// The patients of `listed` (the node's word) that the chain confirms `account` acts for. Without
// a chain reader nothing is confirmed: such an app can neither open nor write records.
export async function confirmedControlled(chain, listed, account) {
  if (!chain || !listed?.length) return [];
  const confirmed = [];
  for (const patient of listed) {
    if (getAddress(await chain.controllerOf(patient)) === getAddress(account)) confirmed.push(getAddress(patient));
  }
  return confirmed;
}
