// A doctor's reason for an access request, end to end (docs/format.md, "Reasons and licences"):
// the doctor's app salts it, seals it to the patient and leaves the note with the node before
// the request, carrying only the salted hash, is relayed; the patient's app opens the note and
// shows it only when it matches the hash on chain.
import { getAddress } from 'ethers';
import { checkedPatientKey, checkedReasonHash } from '../chain/verify.js';
import { NO_REASON_HASH, fromHex, openReasonNote, saltText, saltedHash, sealReasonNote, toHex } from '../crypto/index.js';
import { relay } from './actions.js';

// The patient's encryption key to seal a reason to: the chain's, which must be the one the node
// lists, when the app reads the chain; else the node's alone (the node could then read the
// reason, but not show the patient another one: the patient's app checks it).
async function patientKeyForReason({ api, chain }, patient) {
  const { encryptionKey } = await api.get(`/v1/patients/${patient}`);
  return chain ? checkedPatientKey(chain, patient, encryptionKey) : encryptionKey;
}

// Leaves `reason` for `patient` with the node, sealed to the patient; returns its salted hash.
async function leaveReason(ctx, patient, reason) {
  const salted = await saltText(reason);
  const sealed = await sealReasonNote(salted, fromHex(await patientKeyForReason(ctx, patient)));
  const hash = saltedHash(salted);
  const doctor = getAddress(ctx.wallet.address);
  await ctx.api.put(`/v1/doctors/${doctor}/reasons/${hash}`, { patient: getAddress(patient), sealedReason: toHex(sealed) });
  return hash;
}

// A doctor's access request: the reason (if any) is left with the node first, so that no request
// reaches the chain without it; the chain gets only its salted hash.
export async function requestAccess(ctx, { patient, scope, permissions, duration, reason }) {
  const reasonHash = reason ? await leaveReason(ctx, patient, reason) : NO_REASON_HASH;
  return relay(ctx, 'requestAccessBySig', { patient, scope, permissions, duration, reasonHash });
}

// What the patient is shown of request `request` (as GET /v1/patients/{p}/requests lists it):
//   {kind: 'none'}                                  no reason was given (the zero hash)
//   {kind: 'missing'}                               a hash, but the node has no note for it
//   {kind: 'opened', text, checkedAgainstChain}     the note, opened and matching the hash
//   {kind: 'refused', error}                        a note that does not open or does not match
// The hash is the chain's when the app reads the chain (checkedAgainstChain), else the node's.
// `keyPairs` are the patient's encryption key pairs.
export async function requestReason({ chain }, request, keyPairs) {
  if (!request.sealedReason) return { kind: request.reasonHash === NO_REASON_HASH ? 'none' : 'missing' };
  try {
    const expected = chain ? await checkedReasonHash(chain, request) : request.reasonHash;
    const { text } = await openReasonNote(fromHex(request.sealedReason), expected, keyPairs);
    return { kind: 'opened', text, checkedAgainstChain: Boolean(chain) };
  } catch (error) {
    return { kind: 'refused', error: error.message };
  }
}
