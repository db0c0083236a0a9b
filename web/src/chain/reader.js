// Reads of the Medchain contract straight from the chain (issue #15, "Trust no node"): every
// recipient's encryption key and every version's digest and author that the app relies on come
// from here, never from the node's JSON. The chain is reached through the wallet's EIP-1193
// provider or, for the built-in wallet, a configured JSON-RPC URL (which the node's
// Content-Security-Policy must allow: medchaind --connect-src).
//
// What is pinned, and why:
// - The chain id. The provider must be on the chain the node declares (GET /v1/node): the SIWE
//   session and every intent are signed for that chain, and reading any other chain would
//   "confirm" the node against unrelated state. A provider on another chain is refused.
// - The contract address. The node names it, but a lying node could name a look-alike contract
//   of its own on the same chain, where every check would pass. So the first address seen for a
//   chain id is pinned in this browser (trust on first use, like an SSH host key) and a different
//   one later is refused; a deployment can pin it outright at build time (VITE_MEDCHAIN_CONTRACT).
//   The address must also hold code, and the contract's own EIP-712 domain must name it.
import { Interface, getAddress, toBeHex, zeroPadValue } from 'ethers';
import abi from '../generated/medchain-abi.json';
import recoveryAbi from '../generated/recovery-abi.json';
import { t } from '../i18n/index.js';

const contract = new Interface(abi);
const recoveryContract = new Interface(recoveryAbi);
const PIN_KEY = 'medchain.pinnedContracts';
const DOCTOR_VERIFIED = 1; // Registry.sol DOCTOR_VERIFIED
const ZERO_KEY = `0x${'0'.repeat(64)}`;

// A JSON-RPC transport, `(method, params) => result`, over an EIP-1193 provider.
export const rpcOverProvider = (provider) => (method, params) => provider.request({ method, params });

// A JSON-RPC transport over HTTP, for a configured RPC URL.
export function rpcOverHttp(url) {
  let id = 0;
  return async (method, params) => {
    let response;
    try {
      response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
    } catch (error) {
      throw new Error(t('state.chain.rpcUnreachable', { url, reason: error.message }));
    }
    const body = await response.json();
    if (body.error) throw new Error(t('state.chain.rpcError', { reason: body.error.message }));
    return body.result;
  };
}

function pinnedContracts(storage) {
  try {
    return JSON.parse(storage?.getItem(PIN_KEY) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

// The contract this browser trusts on chain `chainId`: the build-time pin, else the first one a
// node named, which is pinned now if there was none.
export function pinContract(chainId, named, storage, buildPin = import.meta.env?.VITE_MEDCHAIN_CONTRACT) {
  const address = getAddress(named);
  const pins = pinnedContracts(storage);
  const pinned = buildPin ? getAddress(buildPin) : pins[chainId];
  if (pinned && pinned !== address) {
    throw new Error(t('state.chain.contractMoved', { address, chainId, pinned }));
  }
  if (!pinned && storage) storage.setItem(PIN_KEY, JSON.stringify({ ...pins, [chainId]: address }));
  return address;
}

// A reader of the contract the node names, checked (chain id, pin, code, domain) once, before
// its first read. `rpc` is a transport as above; `node` is GET /v1/node's answer.
export function chainReader(rpc, node, storage = globalThis.localStorage) {
  let ready;
  const checked = () => (ready ??= checkContract(rpc, node, storage).catch((error) => {
    ready = undefined; // a wallet switched to the right chain may try again
    throw error;
  }));

  async function read(fn, args) {
    const address = await checked();
    const data = contract.encodeFunctionData(fn, args);
    return contract.decodeFunctionResult(fn, await rpc('eth_call', [{ to: address, data }, 'latest']));
  }

  // The contract's `event`s whose first indexed argument is `topic` (a record id or an address;
  // every one of them without a topic).
  async function logs(event, topic) {
    const address = await checked();
    const topics = [contract.getEvent(event).topicHash, ...(topic ? [zeroPadValue(topic, 32)] : [])];
    // From the genesis: a record's events are few, and a node cannot hide one from the chain.
    const found = await rpc('eth_getLogs', [{ address, fromBlock: '0x0', toBlock: 'latest', topics }]);
    return found.map((log) => contract.parseLog(log));
  }

  // A view of the Recovery contract the pinned Medchain names (Medchain.recovery()).
  async function readRecovery(fn, args) {
    const [address] = await read('recovery', []);
    const data = recoveryContract.encodeFunctionData(fn, args);
    return recoveryContract.decodeFunctionResult(fn, await rpc('eth_call', [{ to: address, data }, 'latest']));
  }

  return {
    // {chainId, contract}: the deployment this app reads, checked and pinned: the EIP-712 domain
    // of the contract's intents and of category statements, and what a format 2 encryption key
    // is bound to.
    async deployment() {
      return { chainId: node.chainId, contract: await checked() };
    },
    // How many times the patient's key was rotated (PatientKeyRotated events): the generation
    // of the patient's format 2 key when every rotation was a medchain client's.
    async keyRotations(patient) {
      return (await logs('PatientKeyRotated', patient)).length;
    },
    // Who acts as `patient` on chain: the patient itself, or the new address a guardian-approved
    // recovery moved it to (docs/format.md, "Recovery").
    async controllerOf(patient) {
      const [controller] = await read('controllerOf', [patient]);
      return getAddress(controller);
    },
    // The address of the Recovery contract this Medchain trusts to move patients.
    async recoveryContract() {
      return getAddress((await read('recovery', []))[0]);
    },
    // {threshold, delay} of the patient's recovery policy (threshold 0: recovery off; delay in
    // seconds, 0 meaning the contract's default of 48 hours).
    async recoveryPolicy(patient) {
      const [threshold, delay] = await readRecovery('policies', [patient]);
      return { threshold: Number(threshold), delay: Number(delay) };
    },
    // {approvals, threshold, readyAt} of `controller`'s recovery of `patient` this round.
    async recoveryStatus(patient, controller) {
      const [approvals, threshold, readyAt] = await readRecovery('status', [patient, controller]);
      return { approvals: Number(approvals), threshold: Number(threshold), readyAt: Number(readyAt) };
    },
    // The latest block's time (unix seconds): when a recovery may execute is the chain's clock.
    async now() {
      const block = await rpc('eth_getBlockByNumber', ['latest', false]);
      return Number(block.timestamp);
    },
    // The patient's registered X25519 key (0x hex), or null when not registered.
    async patientKey(patient) {
      const [key] = await read('patientKeys', [patient]);
      return key === ZERO_KEY ? null : key.toLowerCase();
    },
    // {verified, encryptionKey} of a doctor as the registry holds them.
    async doctor(address) {
      const [status, , encryptionKey] = await read('doctors', [address]);
      return { verified: Number(status) === DOCTOR_VERIFIED, encryptionKey: encryptionKey.toLowerCase() };
    },
    // Whether the chain names `address` a registrar (the signer of doctor profiles).
    async isRegistrar(address) {
      return (await read('isRegistrar', [address]))[0];
    },
    async isGuardian(patient, guardian) {
      return (await read('isGuardian', [patient, guardian]))[0];
    },
    // The patient's guardians now: everyone a GuardianAdded event named for the patient whom
    // isGuardian still confirms (a removal, or a removal and re-adding, is the state's to say).
    async guardians(patient) {
      const named = new Set((await logs('GuardianAdded', patient)).map((e) => getAddress(e.args.guardian)));
      const guardians = [];
      for (const guardian of named) {
        if ((await read('isGuardian', [patient, guardian]))[0]) guardians.push(guardian);
      }
      return guardians;
    },
    // Whether `doctor` may read `category` (its index) of `patient`'s file now: grant or emergency.
    async canRead(patient, doctor, category) {
      return (await read('canRead', [patient, doctor, category]))[0];
    },
    // The keccak-256 of the patient's escrow policy document (escrowPolicies), or null when
    // the patient set none (docs/format.md, "Emergency escrow").
    async escrowPolicy(patient) {
      const [hash] = await read('escrowPolicies', [patient]);
      return hash === ZERO_KEY ? null : hash.toLowerCase();
    },
    // The X25519 key `account` set as an escrow custodian (custodianKeys), or null.
    async custodianKey(account) {
      const [key] = await read('custodianKeys', [account]);
      return key === ZERO_KEY ? null : key.toLowerCase();
    },
    // Every account with a custodian key on chain now ({account, encryptionKey}, the key as
    // custodianKeys holds it), with the URL of the storage node it operates, if it registered one.
    async custodians() {
      const named = new Set((await logs('CustodianKeySet')).map((e) => getAddress(e.args.custodian)));
      const urls = new Map((await logs('StorageNodeRegistered')).map((e) => [getAddress(e.args.operator), e.args.url]));
      const found = [];
      for (const account of named) {
        const [key] = await read('custodianKeys', [account]);
        if (key !== ZERO_KEY) found.push({ account, encryptionKey: key.toLowerCase(), url: urls.get(account) ?? '' });
      }
      return found;
    },
    // Until when (unix seconds; 0: never opened) `doctor`'s emergency window on `patient` runs.
    async emergencyUntil(patient, doctor) {
      const [until] = await read('emergencyWindows', [patient, doctor]);
      return Number(until);
    },
    // The reason hash access request `requestId` carries, as its AccessRequested event says, or
    // null when the chain has no such request.
    async requestReasonHash(requestId) {
      const [event] = await logs('AccessRequested', toBeHex(BigInt(requestId), 32));
      return event ? event.args.reasonHash.toLowerCase() : null;
    },
    // {digest, author} of version `version` of a record as its RecordAdded (version 1) or
    // RecordUpdated event says, or null when the chain has no such version.
    async recordVersion(recordId, version) {
      const events = version === 1 ? await logs('RecordAdded', recordId) : (await logs('RecordUpdated', recordId)).filter((e) => Number(e.args.version) === version);
      if (!events.length) return null;
      const { args } = events[0];
      return { digest: args.digest.toLowerCase(), author: getAddress(version === 1 ? args.author : args.editor) };
    },
  };
}

async function checkContract(rpc, node, storage) {
  const chainId = Number(await rpc('eth_chainId', []));
  if (chainId !== node.chainId) {
    throw new Error(t('state.chain.wrongChain', { chainId, nodeChainId: node.chainId }));
  }
  const address = pinContract(chainId, node.contract, storage);
  if ((await rpc('eth_getCode', [address, 'latest'])) === '0x') {
    throw new Error(t('state.chain.noContract', { address, chainId }));
  }
  const data = contract.encodeFunctionData('eip712Domain', []);
  const domain = contract.decodeFunctionResult('eip712Domain', await rpc('eth_call', [{ to: address, data }, 'latest']));
  if (domain.name !== 'medchain' || Number(domain.chainId) !== chainId || getAddress(domain.verifyingContract) !== address) {
    throw new Error(t('state.chain.notMedchain', { address, chainId }));
  }
  return address;
}
