// Which of the account's encryption keys the chain holds (docs/format.md, "Encryption key"):
// a new registration derives format 2, generation 0, bound to the deployment the app reads; an
// existing account derives the key the chain holds, or is told that it cannot.
//
// Every derivation is a wallet signature (a MetaMask prompt), so the generation is not searched
// for: it is the number of the patient's PatientKeyRotated events on chain (each rotation by a
// medchain client moves one generation), and format 1 is tried for an account never rotated,
// whose key may have been registered before format 2.
import { getAddress } from 'ethers';
import {
  FORMAT_1, describeDerivation, format2, fromHex, nextGeneration, openContentKey, sealContentKey, toHex, walletEncryptionKey,
} from '../crypto/index.js';
import { pinContract } from '../chain/reader.js';
import { relay } from './actions.js';
import { currentLanguage, t } from '../i18n/index.js';

const ZERO_KEY = `0x${'0'.repeat(64)}`;

// {chainId, contract}: the node's chain and the contract this browser trusts there.
export async function keyDeployment({ chain, node }) {
  if (chain) return chain.deployment();
  return { chainId: node.chainId, contract: pinContract(node.chainId, node.contract, globalThis.localStorage) };
}

// The key the chain holds for `account` (a patient's, else a doctor's), 0x hex, or null. From
// the chain itself when the app reads it, else from the node's index.
export async function registeredKey({ chain, api }, account) {
  if (chain) {
    const patientKey = await chain.patientKey(account);
    if (patientKey) return patientKey;
    const { encryptionKey } = await chain.doctor(account);
    return encryptionKey && encryptionKey !== ZERO_KEY ? encryptionKey : null;
  }
  try {
    return (await api.get(`/v1/patients/${account}`)).encryptionKey.toLowerCase();
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  const { doctors } = await api.get('/v1/doctors');
  const row = doctors.find((d) => getAddress(d.address) === getAddress(account));
  return row ? row.encryptionKey.toLowerCase() : null;
}

// The derivations to try for an account whose key is on chain, most likely first.
async function candidates({ chain }, account, deployment) {
  const rotations = chain ? await chain.keyRotations(account) : 0;
  return rotations > 0 ? [format2(deployment, rotations)] : [format2(deployment, 0), FORMAT_1];
}

// The account's key pair, with its `derivation`: the one the chain holds, or for an account not
// registered yet the one to register (format 2, generation 0). Throws, naming what was tried,
// when no derivation gives the key on chain.
export async function accountEncryptionKey(ctx) {
  const { wallet } = ctx;
  const deployment = await keyDeployment(ctx);
  const registered = await registeredKey(ctx, wallet.address);
  if (!registered) {
    const derivation = format2(deployment, 0);
    return { ...(await walletEncryptionKey(wallet, derivation)), derivation };
  }
  const tried = await candidates(ctx, wallet.address, deployment);
  for (const derivation of tried) {
    const pair = await walletEncryptionKey(wallet, derivation);
    if (toHex(pair.publicKey) === registered) return { ...pair, derivation };
  }
  const derivations = new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(tried.map(describeDerivation));
  throw new Error(
    t('state.key.notOnChain', { registered, account: wallet.address, tried: derivations, chainId: deployment.chainId, contract: deployment.contract }),
  );
}

async function opens(sealed, binding, pair) {
  try {
    await openContentKey(sealed, binding, pair);
    return true;
  } catch {
    return false;
  }
}

// docs/format.md, "Rotating the encryption key": seals the patient's own copy of every content
// key to the next generation's key (a copy an interrupted rotation already sealed to it is left
// as it is), then relays rotatePatientKeyBySig, so nothing is lost if it stops half way and a
// rerun finishes. `current` is accountEncryptionKey's answer (the key on chain). Resolves to
// {pair: the new key with its derivation, resealed, alreadySealed}.
export async function rotateEncryptionKey(ctx, current) {
  const { api, wallet } = ctx;
  const patient = getAddress(wallet.address);
  const derivation = format2(await keyDeployment(ctx), nextGeneration(current.derivation));
  const next = { ...(await walletEncryptionKey(wallet, derivation)), derivation };
  const { records } = await api.get(`/v1/patients/${patient}/records`);
  let resealed = 0;
  let alreadySealed = 0;
  for (const record of records) {
    for (const version of record.versions) {
      const path = `/v1/records/${record.recordId}/versions/${version.version}`;
      let mine;
      try {
        mine = await api.get(`${path}/key`);
      } catch (error) {
        if (error.status === 404) continue; // no copy of the patient's to move
        throw error;
      }
      const binding = { recordId: record.recordId, version: version.version, digest: version.digest };
      const sealed = fromHex(mine.sealedKey);
      if (await opens(sealed, binding, next)) {
        alreadySealed++;
        continue;
      }
      let contentKey;
      try {
        contentKey = await openContentKey(sealed, binding, current);
      } catch (error) {
        throw new Error(t('state.key.doesNotOpen', { recordId: record.recordId, version: version.version, reason: error.message }));
      }
      const resealedKey = toHex(await sealContentKey(contentKey, binding, next.publicKey));
      await api.put(`${path}/keys`, { keys: [{ recipient: patient, sealedKey: resealedKey }] });
      resealed++;
    }
  }
  await relay(ctx, 'rotatePatientKeyBySig', { patient, encryptionKey: toHex(next.publicKey) });
  return { pair: next, resealed, alreadySealed };
}
