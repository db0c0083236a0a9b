// The emergency summary (docs/format.md, "Emergency summary"; the CLI's `medchain emergency
// summary`, src/medchain/records/emergency_summary.cpp): allergies, medications, conditions and
// blood type as an IPS document Bundle, kept by the patient as the record whose id everyone
// derives from the patient's address, each change a new version. It is a file record: a
// DocumentReference (LOINC 60591-5) whose attachment is the Bundle's JSON (application/fhir+json),
// in the general category, encrypted and escrowed like every record; a doctor with an emergency
// window and no key opens it through the escrow (recordOpening.js).
import { concat, getAddress, keccak256, toUtf8Bytes } from 'ethers';
import { makeSummary, validateSummary } from './patientSummary.js';
import { addRecord, openRecord, updateRecord } from './actions.js';
import { t } from '../i18n/index.js';

export const RECORD_ID_DOMAIN = 'medchain.emergency-summary';
export const CONTENT_TYPE = 'application/fhir+json';
export const TITLE = 'Emergency summary';
export const BLOOD_TYPE_CODE = '882-1'; // LOINC: ABO and Rh group
export const BLOOD_TYPES = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'];
const MAX_ENTRY = 200;
const LOINC = 'http://loinc.org';

// keccak256("medchain.emergency-summary" ‖ patient (20 bytes)): the record id of the summary.
export function emergencySummaryRecordId(patient) {
  return keccak256(concat([toUtf8Bytes(RECORD_ID_DOMAIN), getAddress(patient)]));
}

// Throws a sentence the form shows unless every entry is 1 to 200 bytes without control
// characters and the blood type is empty or one of the eight ABO/Rh groups.
export function checkFacts({ allergies = [], medications = [], conditions = [], bloodType = '' }) {
  for (const entry of [...allergies, ...medications, ...conditions]) {
    const size = new TextEncoder().encode(entry).length;
    if (size === 0 || size > MAX_ENTRY || /[\u0000-\u001f\u007f]/.test(entry)) throw new Error(t('emergencySummary.state.badEntry', { entry }));
  }
  if (bloodType && !BLOOD_TYPES.includes(bloodType)) throw new Error(t('emergencySummary.state.badBloodType', { bloodType }));
}

// The IPS Bundle of the facts, as the CLI builds it: one AllergyIntolerance, MedicationStatement
// (active) or Condition per entry with the entry as its text, the blood type as an Observation
// (LOINC 882-1), dated `now` (RFC 3339, whole seconds).
export function makeEmergencyBundle({ patient, facts, now }) {
  checkFacts(facts);
  const account = getAddress(patient);
  const subject = { identifier: { system: 'https://medchain.dev/fhir/NamingSystem/account', value: account } };
  const resources = [
    ...(facts.allergies ?? []).map((text) => ({ resourceType: 'AllergyIntolerance', patient: subject, code: { text } })),
    ...(facts.medications ?? []).map((text) => ({ resourceType: 'MedicationStatement', status: 'active', subject, medicationCodeableConcept: { text } })),
    ...(facts.conditions ?? []).map((text) => ({ resourceType: 'Condition', subject, code: { text } })),
  ];
  if (facts.bloodType) {
    resources.push({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: LOINC, code: BLOOD_TYPE_CODE, display: 'ABO and Rh group' }] },
      subject,
      valueCodeableConcept: { text: facts.bloodType },
    });
  }
  return makeSummary({ patient: account, resources, now, documentId: `emergency ${account.toLowerCase()} ${now}` });
}

const textOf = (concept) => (typeof concept?.text === 'string' ? concept.text : (concept?.coding ?? []).find((c) => typeof c?.display === 'string')?.display ?? '');

// {allergies, medications, conditions, bloodType} a Bundle states (ips' sections' resources by
// their text or first coding's display; the blood type from an Observation coded 882-1).
export function factsOf(bundle) {
  const facts = { allergies: [], medications: [], conditions: [], bloodType: '' };
  for (const { resource } of bundle?.entry ?? []) {
    const add = (list, text) => text && list.push(text);
    if (resource?.resourceType === 'AllergyIntolerance') add(facts.allergies, textOf(resource.code));
    else if (['MedicationStatement', 'MedicationRequest'].includes(resource?.resourceType)) add(facts.medications, textOf(resource.medicationCodeableConcept));
    else if (resource?.resourceType === 'Condition') add(facts.conditions, textOf(resource.code));
    else if (resource?.resourceType === 'Observation' && (resource.code?.coding ?? []).some((c) => c?.code === BLOOD_TYPE_CODE)) facts.bloodType = textOf(resource.valueCodeableConcept);
  }
  return facts;
}

// The DocumentReference that holds a summary of `size` bytes.
export function summaryDocumentReference(size) {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: LOINC, code: '60591-5', display: 'Patient summary Document' }] },
    description: TITLE,
    content: [{ attachment: { contentType: CONTENT_TYPE, size, title: TITLE }, format: { system: 'http://hl7.org/fhir/uv/ips', code: 'ips', display: 'International Patient Summary' } }],
  };
}

// The newest version of the summary record the patient or a guardian wrote (a doctor with append
// permission may add versions to any record of the patient, but does not speak for them), or null.
export function newestOwnVersion(record, patient, guardians = []) {
  const trusted = new Set([patient, ...guardians].map((a) => getAddress(a)));
  return [...(record?.versions ?? [])].reverse().find((v) => v.author && trusted.has(getAddress(v.author))) ?? null;
}

// The caller's view of `patient`'s summary: {record, version, bundle, facts, escrow} or
// {record: null} when there is none; throws (status 403) when the caller may not read it. Before
// the caller's encryption key is unlocked it stops at {record, version, locked: true}: whether
// there is a summary the caller may read needs no key, opening it does. A
// version opened is remembered per caller for the session: every key served, and every escrow
// release, is an audited read the patient is told of, so the screens may reload this freely.
const opened = new Map();
export async function loadEmergencySummary(ctx, patient) {
  const recordId = emergencySummaryRecordId(patient);
  let record;
  try {
    record = await ctx.api.get(`/v1/records/${recordId}`);
  } catch (error) {
    if (error.status === 404) return { record: null };
    throw error;
  }
  const { guardians = [] } = await ctx.api.get(`/v1/patients/${getAddress(patient)}`);
  const version = newestOwnVersion(record, patient, guardians);
  if (!version) return { record: null };
  if (!ctx.encryptionKey) return { record, version, locked: true };
  const id = `${ctx.wallet?.address ?? ''}:${recordId}:${version.version}:${version.digest}`;
  if (!opened.has(id)) {
    opened.set(id, openSummaryVersion(ctx, recordId, version).catch((error) => {
      opened.delete(id);
      throw error;
    }));
  }
  return { record, version, ...(await opened.get(id)) };
}

async function openSummaryVersion(ctx, recordId, version) {
  const document = await openRecord(ctx, { recordId, version });
  if (document.manifest.attachment?.contentType !== CONTENT_TYPE) throw new Error(t('emergencySummary.state.notADocument'));
  let bundle;
  try {
    bundle = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(document.attachment));
    validateSummary(bundle);
  } catch (error) {
    throw new Error(t('emergencySummary.state.doesNotCheck', { reason: error.message }));
  }
  return { bundle, facts: factsOf(bundle), escrow: document.escrow ?? null };
}

// Stores `facts` as the next version of the summary (the first: the record with the derived id).
// `record` is what loadEmergencySummary found (null: none yet).
export async function saveEmergencySummary(ctx, { patient, facts, record, now = new Date() }) {
  const stamp = `${now.toISOString().slice(0, 19)}Z`;
  const bundle = makeEmergencyBundle({ patient, facts, now: stamp });
  const bytes = new TextEncoder().encode(JSON.stringify(bundle));
  const content = {
    patient: getAddress(patient),
    category: 'general',
    resource: summaryDocumentReference(bytes.length),
    file: { bytes, contentType: CONTENT_TYPE, title: TITLE },
    title: TITLE,
    date: stamp,
  };
  if (record) return updateRecord(ctx, { ...content, record });
  return addRecord(ctx, content, emergencySummaryRecordId(patient));
}
