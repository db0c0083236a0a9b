// What the app takes from the node, checked against the chain (src/chain/reader.js) before
// anything is sealed, uploaded, relayed or shown. Each check returns the chain's value and throws
// an error a person can read when the node's differs, so a lying node is refused before it can
// make the app seal a key to the wrong party or accept a ciphertext the chain never recorded.
import { getAddress } from 'ethers';
import { shortAddress } from '../util/format.js';
import { categoryIndex } from './scopes.js';
import { categorySigner } from './categoryStatement.js';
import { t } from '../i18n/index.js';

// The chain reader of the session, or a clear refusal when this browser cannot read the chain.
export function requireChain({ chain }) {
  if (!chain) {
    throw new Error(t('state.chain.unavailable'));
  }
  return chain;
}

const sameKey = (a, b) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

// The patient's encryption key on chain, which must be the one the node gave (`nodeKey`).
export async function checkedPatientKey(chain, patient, nodeKey) {
  const key = await chain.patientKey(patient);
  if (!key) throw new Error(t('state.chain.patientNotRegistered', { patient: shortAddress(patient) }));
  if (!sameKey(key, nodeKey)) {
    throw new Error(t('state.chain.patientKeyDiffers', { patient: shortAddress(patient) }));
  }
  return key;
}

// A verified doctor's encryption key on chain, which must be the one the node gave.
export async function checkedDoctorKey(chain, doctor, nodeKey) {
  const { verified, encryptionKey } = await chain.doctor(doctor);
  if (!verified) throw new Error(t('state.chain.doctorNotVerified', { doctor: shortAddress(doctor) }));
  if (!sameKey(encryptionKey, nodeKey)) {
    throw new Error(t('state.chain.doctorKeyDiffers', { doctor: shortAddress(doctor) }));
  }
  return encryptionKey;
}

// Whether the chain lets `doctor` read `category` of the patient's file now (grant or emergency
// window). The node's grant list only proposes readers: one the chain does not confirm (a lying
// node's addition, or a revocation the node has not indexed yet) gets no key.
export const readsOnChain = (chain, patient, doctor, category) => chain.canRead(patient, doctor, categoryIndex(category));

// Whether `guardian` is a guardian of `patient`, as the chain says (the node's list only hints).
export const isGuardianOnChain = (chain, patient, guardian) => chain.isGuardian(patient, guardian);

// The patient's guardians and their keys, from the chain: the node's list (`nodeGuardians`) must
// be the chain's, or a node could hide a guardian from new versions or slip in a reader. Each
// guardian's key is their own patient key on chain, which must be the node's (`nodeKeyOf(g)`,
// null when the node lists none). Returns {sealable: [{address, encryptionKey}], withoutKey:
// [address]}: a guardian who registered no key cannot be sealed to, and is named apart.
export async function checkedGuardians(chain, patient, nodeGuardians, nodeKeyOf) {
  const onChain = await chain.guardians(patient);
  const listed = new Set(nodeGuardians.map((g) => getAddress(g)));
  for (const guardian of onChain) {
    if (!listed.has(guardian)) throw new Error(t('state.chain.guardianLeftOut', { guardian: shortAddress(guardian) }));
  }
  for (const guardian of listed) {
    if (!onChain.includes(guardian)) throw new Error(t('state.chain.guardianInvented', { guardian: shortAddress(guardian) }));
  }
  const sealable = [];
  const withoutKey = [];
  for (const guardian of onChain) {
    const key = await chain.patientKey(guardian);
    const nodeKey = await nodeKeyOf(guardian);
    if (!key && !nodeKey) {
      withoutKey.push(guardian);
      continue;
    }
    if (!sameKey(key, nodeKey)) {
      throw new Error(t('state.chain.guardianKeyDiffers', { guardian: shortAddress(guardian) }));
    }
    sealable.push({ address: guardian, encryptionKey: key });
  }
  return { sealable, withoutKey };
}

// Version `version` of a record ({version, digest, author} as the node lists it) as the chain
// recorded it: the digest and author of its RecordAdded or RecordUpdated event.
export async function checkedVersion(chain, recordId, version) {
  const onChain = await chain.recordVersion(recordId, version.version);
  if (!onChain) throw new Error(t('state.chain.versionMissing', { version: version.version }));
  if (!sameKey(onChain.digest, version.digest)) {
    throw new Error(t('state.chain.digestDiffers', { version: version.version }));
  }
  if (getAddress(onChain.author) !== getAddress(version.author)) {
    throw new Error(t('state.chain.authorDiffers', { version: version.version }));
  }
  return onChain;
}

// Who stated the category the node lists for a version ({version, category, categorySignature}
// of GET /v1/patients/{p}/records), if anyone who may state it did (docs/format.md): the
// statement, over the chain's digest of that version, must recover to the patient, to the
// version's author as the chain records it, or to a guardian of the patient on chain. Returns
// {by: 'patient' | 'author' | 'guardian', digest, author} (the chain's digest and author), or null
// for a version the chain does not have, a missing or malformed statement, one over another
// category or digest (a relabelling node's), or one signed by anyone else.
export async function categoryStatedBy(chain, patient, recordId, version) {
  const onChain = await chain.recordVersion(recordId, version.version);
  if (!onChain) return null;
  const statement = { patient, digest: onChain.digest, category: version.category };
  const signer = categorySigner(await chain.deployment(), statement, version.categorySignature);
  if (!signer) return null;
  if (signer === getAddress(patient)) return { by: 'patient', ...onChain };
  if (signer === getAddress(onChain.author)) return { by: 'author', ...onChain };
  if (await chain.isGuardian(patient, signer)) return { by: 'guardian', ...onChain };
  return null;
}

// The chain's {digest, author} of a version whose listed category is stated as above, else null.
export async function statedVersion(chain, patient, recordId, version) {
  const stated = await categoryStatedBy(chain, patient, recordId, version);
  return stated && { digest: stated.digest, author: stated.author };
}

// The reason hash of access request `request` ({requestId, reasonHash} as the node lists it) as
// the chain's AccessRequested event holds it, which must be the node's: a note is opened only
// against the hash the doctor put on chain. The refusals are phrases, for "Reason not shown: …".
export async function checkedReasonHash(chain, request) {
  const onChain = await chain.requestReasonHash(request.requestId);
  if (!onChain) throw new Error(t('state.chain.noRequest', { requestId: request.requestId }));
  if (!sameKey(onChain, request.reasonHash)) {
    throw new Error(t('state.chain.reasonHashDiffers'));
  }
  return onChain;
}
