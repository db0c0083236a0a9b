// A patient's demographics (issue #18, "People have names"): an ordinary encrypted record of
// category general holding a FHIR R4 Patient resource, its summary of kind Patient. It is shared
// under a grant like any record, so a doctor sees a patient's name exactly when they may read
// the general category; nothing about it is public. Mirrors apps/medchain/records/patient_names.cpp.
import { openRecord } from './recordOpening.js';
import { openListedSummaries } from './summaries.js';
import { t } from '../i18n/index.js';

const NAME_LIMIT = 100;

// The Patient resource for what the patient typed. Throws a sentence the form shows.
export function patientResource({ given = '', family = '', birthDate = '' }, today = new Date()) {
  const givenNames = given.trim().split(/\s+/).filter(Boolean);
  const familyName = family.trim();
  if (!givenNames.length && !familyName) throw new Error(t('state.details.nameRequired'));
  if ([...givenNames, familyName].join(' ').length > NAME_LIMIT) throw new Error(t('state.details.nameTooLong', { limit: NAME_LIMIT }));
  if (birthDate && !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new Error(t('state.details.birthDateFormat'));
  if (birthDate && birthDate > today.toISOString().slice(0, 10)) throw new Error(t('state.details.birthDateFuture'));
  const name = { use: 'official' };
  if (familyName) name.family = familyName;
  if (givenNames.length) name.given = givenNames;
  name.text = [...givenNames, familyName].filter(Boolean).join(' ');
  return { resourceType: 'Patient', name: [name], ...(birthDate ? { birthDate } : {}) };
}

// {given, family, name, birthDate} of a Patient resource, or null for anything else. Control
// characters are replaced, since the name comes from another person's file.
export function detailsOf(resource) {
  if (resource?.resourceType !== 'Patient') return null;
  const clean = (s) => (typeof s === 'string' ? s.replace(/[\u0000-\u001f\u007f]/g, '?') : '');
  const first = Array.isArray(resource.name) ? resource.name[0] ?? {} : {};
  const given = Array.isArray(first.given) ? first.given.map(clean).join(' ') : '';
  const family = clean(first.family);
  const name = clean(first.text) || [given, family].filter(Boolean).join(' ');
  const birthDate = clean(resource.birthDate);
  if (!name && !birthDate) return null;
  return { given, family, name, birthDate };
}

// The newest record whose newest version opened as a summary of kind Patient: {record, version},
// or null. `summaries` is openListedSummaries' result for `records`.
export function newestPatientRecord(records, summaries) {
  let best = null;
  for (const record of records ?? []) {
    const version = record.versions[record.versions.length - 1];
    if (!version || summaries[`${record.recordId}/${version.version}`]?.summary?.kind !== 'Patient') continue;
    if (!best || version.blockNumber > best.version.blockNumber) best = { record, version };
  }
  return best;
}

// A name as a line shows it: "Anna Rossi (born 1970-03-01)".
export function formatPatient(details) {
  if (!details) return '';
  return details.birthDate ? t('state.details.nameBorn', { name: details.name, birthDate: details.birthDate }) : details.name;
}

// The caller's view of `patient`'s details: {details, record} (details null when none is readable).
// Details found are cached per session and per newest versions, since every key served is an
// audited read that reaches the patient's live feed; the screens asking for this load it when
// they open, not on every feed message, so an empty answer is asked again only then.
const cache = new Map();
export async function loadPatientDetails(ctx, patient) {
  if (!ctx.encryptionKey) return { details: null, record: null, locked: true };
  const { records } = await ctx.api.get(`/v1/patients/${patient}/records`);
  const listed = (records ?? []).filter((r) => r.versions.length);
  // A version's summary is stored after it is recorded: a listing taken between the two must not
  // be remembered as "no details".
  const heads = listed.map((r) => {
    const v = r.versions[r.versions.length - 1];
    return `${r.recordId}/${v.version}/${v.summary ?? ''}`;
  }).join(',');
  const id = `${ctx.wallet?.address ?? ''}:${patient}:${heads}`;
  if (!cache.has(id)) {
    cache.set(id, (async () => {
      const keyed = await ctx.api.get(`/v1/patients/${patient}/records?include=keys`);
      const newest = newestPatientRecord(keyed.records, await openListedSummaries(keyed.records, ctx.encryptionKey));
      if (!newest) return { details: null, record: null };
      const opened = await openRecord(ctx, { recordId: newest.record.recordId, version: newest.version });
      const record = listed.find((r) => r.recordId === newest.record.recordId) ?? newest.record;
      return { details: detailsOf(opened.manifest.resource), record };
    })().then(
      (found) => {
        // Only details are remembered: none may mean a key not shared yet (a grant to come).
        if (!found.details) cache.delete(id);
        return found;
      },
      (error) => {
        cache.delete(id);
        throw error;
      },
    ));
  }
  return cache.get(id);
}
