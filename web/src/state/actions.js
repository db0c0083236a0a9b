// What the portals do, as plain async functions of a context {api, wallet, node, encryptionKey}:
// relaying signed intents, writing and reading encrypted records, sharing content keys. No
// React here, so the logic is testable and the screens stay thin.
import { hexlify, randomBytes, getAddress } from 'ethers';
import { intentTypedData, INTENTS } from '../chain/intents.js';
import { scopeCovers } from '../chain/scopes.js';
import { signCategory } from '../chain/categoryStatement.js';
import { checkedDoctorKey, checkedGuardians, checkedPatientKey, checkedVersion, isGuardianOnChain, readsOnChain, requireChain, statedVersion } from '../chain/verify.js';
import {
  encryptEnvelope, newContentKey, makeManifest, encodeDocument,
  sealContentKey, openContentKey, digestHex, fromHex, toHex, encodeSummary,
} from '../crypto/index.js';
import { storeSummary, summaryOfResource } from './summaries.js';
import { ownAuthorName } from './authorName.js';
import { t } from '../i18n/index.js';
import { escrowContentKey } from './emergencyEscrow.js';

const DEADLINE_SECONDS = 900;

// The signer's next intent nonce: the node's GET /v1/accounts/{address}/nonce, or, for a node
// without that route, the contract's nonces(address) through the wallet's own provider.
export async function intentNonce({ api, wallet, node }, address) {
  try {
    return (await api.get(`/v1/accounts/${address}/nonce`)).nonce;
  } catch (error) {
    if (error.status !== 404 || !wallet.call) throw error;
    const data = `0x7ecebe00${address.slice(2).toLowerCase().padStart(64, '0')}`; // nonces(address)
    return BigInt(await wallet.call({ to: node.contract, data })).toString();
  }
}

// Signs `fn` (a *BySig intent) with the wallet and has the node relay it; resolves once mined
// and indexed.
export async function relay(ctx, fn, fields) {
  const { api, wallet, node } = ctx;
  if (!INTENTS[fn]) throw new Error(`unknown intent ${fn}`);
  const nonce = await intentNonce(ctx, wallet.address);
  const deadline = String(Math.floor(Date.now() / 1000) + DEADLINE_SECONDS);
  const message = { ...fields, nonce, deadline };
  const typed = intentTypedData(fn, node, message);
  const signature = await wallet.signTypedData(typed);
  return api.post('/v1/relay', { function: fn, message: typed.message, signature });
}

// The doctors a new version's key is sealed to (docs/format.md): every verified doctor whose
// unexpired read grant covers the category now. `grants` and `doctors` as the node lists them.
export function keyRecipients({ grants, doctors, category, now }) {
  const verified = new Map(doctors.filter((d) => d.status === 'verified').map((d) => [d.address, d]));
  return grants
    .filter((g) => g.expiry > now && g.permissions.includes('read') && scopeCovers(g.scopeMask, category) && verified.has(g.doctor))
    .map((g) => ({ address: g.doctor, encryptionKey: verified.get(g.doctor).encryptionKey }));
}

// The first entry of each account: a guardian who is also a doctor keeps their patient key.
function uniqueRecipients(list) {
  const seen = new Map();
  for (const r of list) if (!seen.has(getAddress(r.address))) seen.set(getAddress(r.address), r);
  return [...seen.values()];
}

// An account's patient key as the node lists it, or null when it registered none.
async function nodePatientKey(api, address) {
  try {
    return (await api.get(`/v1/patients/${address}`)).encryptionKey;
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

// Who gets the new version's content key (docs/format.md): the patient; each guardian of the
// patient with a key of their own (guardians without one are returned apart, in `withoutKey`);
// when the patient or a guardian writes, every doctor whose read grant covers the category now;
// when a doctor writes, that doctor as the author. The node proposes the list; the chain decides
// it: the guardians, each doctor's right to read (one the chain does not confirm is left out),
// the writer's guardianship, and every key, where any difference from the node's refuses the
// write. Returns {recipients, withoutKey}.
async function versionRecipients(ctx, patient, category) {
  const { api, wallet } = ctx;
  const chain = requireChain(ctx);
  const me = getAddress(wallet.address);
  const patientInfo = await api.get(`/v1/patients/${patient}`);
  const recipients = [{ address: patient, encryptionKey: await checkedPatientKey(chain, patient, patientInfo.encryptionKey) }];
  const guardians = await checkedGuardians(chain, patient, patientInfo.guardians ?? [], (g) => nodePatientKey(api, g));
  recipients.push(...guardians.sealable);
  const { doctors } = await api.get('/v1/doctors');
  if (me === getAddress(patient) || (await isGuardianOnChain(chain, patient, me))) {
    const { grants } = await api.get(`/v1/patients/${patient}/grants`);
    for (const r of keyRecipients({ grants, doctors, category, now: Math.floor(Date.now() / 1000) })) {
      if (!(await readsOnChain(chain, patient, r.address, category))) continue;
      recipients.push({ address: r.address, encryptionKey: await checkedDoctorKey(chain, r.address, r.encryptionKey) });
    }
  } else {
    const author = doctors.find((d) => d.address === me);
    if (author) recipients.push({ address: me, encryptionKey: await checkedDoctorKey(chain, me, author.encryptionKey) });
  }
  return { recipients: uniqueRecipients(recipients), withoutKey: guardians.withoutKey };
}

// Encrypts one version under a fresh content key, signs its category statement (docs/format.md),
// uploads the ciphertext with it, has `intent(digest)` (the fields of addRecordBySig or
// updateRecordBySig) relayed, then seals the key as above. The recipients are checked against the
// chain first, so a lying node is refused before anything is uploaded or relayed. With an
// emergency escrow set for the patient, the key is also wrapped to its escrow key (`escrowed`).
// onProgress({step, phase, done, total}): `step` says it to the user, `phase` names it for code.
async function writeVersion(ctx, { patient, category, resource, file, title, date, onProgress }, fn, fields, recordId, version) {
  const { api, node, wallet } = ctx;
  const step = (phase, done = 0, total = 1) => onProgress?.({ step: t(`state.write.step.${phase}`), phase, done, total });
  step('checking');
  const { recipients, withoutKey } = await versionRecipients(ctx, patient, category);

  step('encrypting');
  const summary = summaryOfResource(resource, file ? { contentType: file.contentType } : null, { title, date });
  const authorName = await ownAuthorName(ctx, patient);
  if (authorName) summary.authorName = authorName;
  encodeSummary(summary); // a title or date the format refuses stops here, before anything is written
  const attachment = file ? { contentType: file.contentType, size: file.bytes.length, title: file.title } : null;
  const document = encodeDocument(makeManifest(resource, attachment), file?.bytes);
  const contentKey = await newContentKey();
  const ciphertext = await encryptEnvelope(contentKey, document, (done, total) => step('encrypting', done, total));
  const digest = digestHex(ciphertext);

  step('signing');
  const categorySignature = await signCategory(wallet, await requireChain(ctx).deployment(), { patient, digest, category });

  step('uploading', 0, ciphertext.length);
  await api.uploadBlob(ciphertext, { patient, category, digest, categorySignature }, (done, total) => step('uploading', done, total));

  step('recording');
  const tx = await relay(ctx, fn, { ...fields, recordId, digest, nodeId: node.nodeId, contentId: digest });

  step('sharing');
  const keys = [];
  for (const r of recipients) {
    keys.push({ recipient: r.address, sealedKey: toHex(await sealContentKey(contentKey, { recordId, version, digest }, fromHex(r.encryptionKey))) });
  }
  await api.put(`/v1/records/${recordId}/versions/${version}/keys`, { keys });
  const escrowed = await escrowContentKey(ctx, patient, { recordId, version, digest }, contentKey);
  step('summary');
  await storeSummary(api, contentKey, { recordId, version, digest }, summary);
  step('done', 1, 1);
  return { recordId, version, digest, summary, transactionHash: tx.transactionHash, recipients: keys.length, guardiansWithoutKey: withoutKey, escrowed };
}

// A new record: `resource` is FHIR; `file` ({bytes, contentType, title}) is optional. The id is
// random unless the record has a well-known one (the emergency summary's).
export function addRecord(ctx, content, recordId = hexlify(randomBytes(32))) {
  return writeVersion(ctx, content, 'addRecordBySig', { patient: content.patient }, recordId, 1);
}

// What version n+1 of `record` (as GET /v1/records/{id} lists it) is written as: the intent
// names the newest version's head, so the contract refuses it if another version came first;
// the category stays the record's.
export function nextVersion(record) {
  if (!record.versions.length) throw new Error(t('state.actions.noVersion'));
  const newest = record.versions[record.versions.length - 1];
  return { version: newest.version + 1, currentHead: newest.head, category: newest.category };
}

// Version n+1 of `record`, under a new content key.
export function updateRecord(ctx, { record, ...content }) {
  const { version, currentHead, category } = nextVersion(record);
  return writeVersion(ctx, { ...content, patient: record.patient, category: content.category ?? category }, 'updateRecordBySig', { currentHead }, record.recordId, version);
}

// openRecord lives in recordOpening.js (patientDetails.js needs it, and this module needs the
// details for a patient's own author name); it is exported from here too for the screens.
export { openRecord } from './recordOpening.js';

// The doctor's encryption key, from the chain and matching the node's directory: taken before a
// grant or an approval is relayed, so a lying node is refused before anything changes on chain.
export async function doctorKeyForSharing(ctx, doctor) {
  const { doctors } = await ctx.api.get('/v1/doctors');
  const listed = doctors.find((d) => d.address === getAddress(doctor));
  if (!listed) throw new Error(t('state.actions.notInDirectory'));
  return checkedDoctorKey(requireChain(ctx), listed.address, listed.encryptionKey);
}

// After a grant or an approval: seal the content key of every existing version the doctor may
// now read to that doctor (the patient opens their own sealed key of each first, whose binding
// proves it unlocks that version). A version's category is the node's word, so a version is
// shared only when its category statement is signed by its author, the patient or a guardian
// (statedVersion) and the grant covers that stated category; the others are counted as
// `unstated`, never shared. `doctorKey` is doctorKeyForSharing's answer. Returns {shared, unstated}.
export async function shareExistingKeys(ctx, { patient, doctor, doctorKey, scopeMask }) {
  const { api, encryptionKey } = ctx;
  const chain = requireChain(ctx);
  const { records } = await api.get(`/v1/patients/${patient}/records`);
  let shared = 0;
  let unstated = 0;
  for (const record of records) {
    for (const version of record.versions) {
      if (!version.category || !scopeCovers(scopeMask, version.category)) continue;
      const onChain = await statedVersion(chain, patient, record.recordId, version);
      if (!onChain) {
        unstated++;
        continue;
      }
      const mine = await api.get(`/v1/records/${record.recordId}/versions/${version.version}/key`);
      const binding = { recordId: record.recordId, version: version.version, digest: onChain.digest };
      const contentKey = await openContentKey(fromHex(mine.sealedKey), binding, encryptionKey);
      const sealed = toHex(await sealContentKey(contentKey, binding, fromHex(doctorKey)));
      await api.put(`/v1/records/${record.recordId}/versions/${version.version}/keys`, { keys: [{ recipient: getAddress(doctor), sealedKey: sealed }] });
      shared++;
    }
  }
  return { shared, unstated };
}

// Seals the content key of every version of the patient's records that the patient holds a key
// of to `guardian`, whatever its category: a guardian reads what the patient reads. Each
// version's digest is the chain's (checkedVersion), so a key is bound to what the guardian will
// be shown. `guardianKey` is guardianKeyForSharing's answer. Returns {shared}.
export async function shareKeysWithGuardian(ctx, { patient, guardian, guardianKey }) {
  const { api, encryptionKey } = ctx;
  const chain = requireChain(ctx);
  const { records } = await api.get(`/v1/patients/${patient}/records`);
  let shared = 0;
  for (const record of records) {
    for (const version of record.versions) {
      const { digest } = await checkedVersion(chain, record.recordId, version);
      let mine;
      try {
        mine = await api.get(`/v1/records/${record.recordId}/versions/${version.version}/key`);
      } catch (error) {
        if (error.status === 404) continue; // a version not written by a medchain client
        throw error;
      }
      const binding = { recordId: record.recordId, version: version.version, digest };
      const contentKey = await openContentKey(fromHex(mine.sealedKey), binding, encryptionKey);
      const sealed = toHex(await sealContentKey(contentKey, binding, fromHex(guardianKey)));
      await api.put(`/v1/records/${record.recordId}/versions/${version.version}/keys`, { keys: [{ recipient: getAddress(guardian), sealedKey: sealed }] });
      shared++;
    }
  }
  return { shared };
}

// A guardian's encryption key (their own patient key) on chain, matching the node's; null when
// they registered none.
export async function guardianKeyForSharing(ctx, guardian) {
  const chain = requireChain(ctx);
  const onChain = await chain.patientKey(guardian);
  const listed = await nodePatientKey(ctx.api, guardian);
  if (!onChain && !listed) return null;
  return checkedPatientKey(chain, guardian, listed);
}

// Appoints `guardian` and shares the existing record keys with them (issue #16): their key is
// checked against the chain before the intent is relayed, and their guardianship after. Returns
// {shared, hasKey}: a guardian who registered no key is appointed but gets no key.
export async function addGuardian(ctx, { patient, guardian }, unlockEncryptionKey) {
  const guardianKey = await guardianKeyForSharing(ctx, guardian);
  await relay(ctx, 'addGuardianBySig', { patient, guardian: getAddress(guardian) });
  if (!guardianKey) return { shared: 0, hasKey: false };
  if (!(await isGuardianOnChain(requireChain(ctx), patient, getAddress(guardian)))) {
    throw new Error(t('state.actions.notGuardianYet', { guardian: getAddress(guardian) }));
  }
  const { shared } = await shareKeysWithGuardian({ ...ctx, encryptionKey: await unlockEncryptionKey() }, { patient, guardian, guardianKey });
  return { shared, hasKey: true };
}

// What adding a guardian did, for the patient who did it.
export function describeGuardian({ shared, hasKey }) {
  if (!hasKey) return t('state.actions.guardianWithoutKey');
  return t('state.actions.guardianAdded', { count: shared });
}

// What a grant or an approval shared, for the person who made it: `done` ("Access granted") and
// shareExistingKeys' answer.
export function describeSharing(done, { shared, unstated }) {
  const text = t('state.actions.shared', { done, count: shared });
  if (!unstated) return text;
  return t('state.actions.unstated', { shared: text, count: unstated });
}

// Corrects the category of version `version` of `record` (as GET /v1/records/{id} lists them):
// the caller, the patient or a guardian, signs a statement over the chain's digest of that version
// and the node keeps it (PATCH, audited as record.category). Returns the record as now listed.
export async function correctCategory(ctx, { record, version, category }) {
  const { api, wallet } = ctx;
  const chain = requireChain(ctx);
  const { digest } = await checkedVersion(chain, record.recordId, version);
  const signature = await signCategory(wallet, await chain.deployment(), { patient: record.patient, digest, category });
  await api.patch(`/v1/records/${record.recordId}/versions/${version.version}`, { category, signature });
  return api.get(`/v1/records/${record.recordId}`);
}

// Grants `doctor` access and shares the existing keys in scope: the doctor's key is checked
// against the chain before the grant is relayed. Returns shareExistingKeys' answer.
export async function grantAccess(ctx, { patient, doctor, scope, permissions, expiry }, unlockEncryptionKey) {
  const doctorKey = await doctorKeyForSharing(ctx, doctor);
  await relay(ctx, 'grantAccessBySig', { patient, doctor, scope, permissions, expiry });
  return shareExistingKeys({ ...ctx, encryptionKey: await unlockEncryptionKey() }, { patient, doctor, doctorKey, scopeMask: scope });
}

// Approves a request and shares the existing keys in the approved scope, checked as above.
export async function approveRequest(ctx, { patient, request, scope, permissions, duration }, unlockEncryptionKey) {
  const doctorKey = await doctorKeyForSharing(ctx, request.doctor);
  await relay(ctx, 'approveRequestBySig', { requestId: request.requestId, scope, permissions, duration });
  return shareExistingKeys({ ...ctx, encryptionKey: await unlockEncryptionKey() }, { patient, doctor: request.doctor, doctorKey, scopeMask: scope });
}
