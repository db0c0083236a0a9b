// The International Patient Summary (HL7 IPS on FHIR R4, docs/format.md "Patient summary"): the
// JS counterpart of src/medchain/records/ips.cpp, building the same document Bundle from the
// records the browser decrypted and checking one by the same rules. Pure functions.
import { getAddress } from 'ethers';
import { validateResource } from '../crypto/fhir.js';
import { nameBasedUuid } from './recordBundle.js';

const LOINC = 'http://loinc.org';
export const SUMMARY_DOCUMENT = '60591-5';

// In the order the IPS implementation guide presents them.
export const SECTIONS = [
  { code: '48765-2', title: 'Allergies and intolerances', types: ['AllergyIntolerance'], required: true },
  { code: '10160-0', title: 'Medication summary', types: ['MedicationStatement', 'MedicationRequest'], required: true },
  { code: '11450-4', title: 'Problem list', types: ['Condition'], required: true },
  { code: '11369-6', title: 'History of immunizations', types: ['Immunization'], required: false },
  { code: '8716-3', title: 'Vital signs', types: ['Observation'], required: false },
  { code: '30954-2', title: 'Diagnostic results', types: ['Observation', 'DiagnosticReport'], required: false },
  { code: '47519-4', title: 'History of procedures', types: ['Procedure'], required: false },
];

const isVitalSign = (resource) => (resource.category ?? []).some((c) => (c?.coding ?? []).some((coding) => coding?.code === 'vital-signs'));

// The section a resource belongs in, or null: an Observation is a vital sign or a result.
function sectionOf(resource) {
  return SECTIONS.find((s) => s.types.includes(resource.resourceType) && (resource.resourceType !== 'Observation' || (s.code === '8716-3') === isVitalSign(resource))) ?? null;
}

const loinc = (code, display) => ({ coding: [{ system: LOINC, code, display }] });
const emptyReason = () => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'unavailable', display: 'Unavailable' }] });

// The IPS document of `resources` (decrypted FHIR resources, any types) of the account
// `patient`, dated `now` (RFC 3339) and named by `documentId`: the Composition, the Patient (the
// patient's own Patient resource if a record holds one, else one naming the account), then every
// resource a section lists; files and resources no section takes are left out.
export function makeSummary({ patient, resources, now, documentId }) {
  const urlOf = (what) => `urn:uuid:${nameBasedUuid(`medchain summary ${documentId} ${what}`)}`;
  const patientUrl = urlOf('patient');
  let patientResource = { resourceType: 'Patient', identifier: [{ system: 'https://medchain.dev/fhir/NamingSystem/account', value: getAddress(patient) }] };
  const listed = new Map();
  const entries = [];
  resources.forEach((resource, i) => {
    if (resource?.resourceType === 'Patient') {
      patientResource = resource;
      return;
    }
    const section = sectionOf(resource ?? {});
    if (!section) return;
    const url = urlOf(`entry ${i}`);
    listed.set(section, [...(listed.get(section) ?? []), { reference: url }]);
    entries.push({ fullUrl: url, resource });
  });
  const section = SECTIONS.filter((s) => s.required || listed.has(s)).map((s) => ({
    title: s.title,
    code: loinc(s.code, s.title),
    ...(listed.has(s) ? { entry: listed.get(s) } : { emptyReason: emptyReason() }),
  }));
  const composition = {
    resourceType: 'Composition',
    status: 'final',
    type: loinc(SUMMARY_DOCUMENT, 'Patient summary Document'),
    subject: { reference: patientUrl },
    date: now,
    author: [{ reference: patientUrl }],
    title: 'International Patient Summary',
    section,
  };
  return {
    resourceType: 'Bundle',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${nameBasedUuid(`medchain summary ${documentId}`)}` },
    type: 'document',
    timestamp: now,
    entry: [{ fullUrl: urlOf('composition'), resource: composition }, { fullUrl: patientUrl, resource: patientResource }, ...entries],
  };
}

const invalid = (what) => new Error(`not an IPS document: ${what}`);
const hasLoinc = (codeable, code) => (codeable?.coding ?? []).some((c) => c?.system === LOINC && c?.code === code);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Throws, naming the first problem, unless `bundle` is an IPS document by the rules of the C++
// ips::validate_summary.
export function validateSummary(bundle) {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle' || bundle.type !== 'document') throw invalid('not a Bundle of type document');
  if (!isObject(bundle.identifier) || typeof bundle.timestamp !== 'string') throw invalid('a document Bundle needs an identifier and a timestamp');
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) throw invalid('no entries');
  const urls = new Map();
  for (const entry of bundle.entry) {
    if (!isObject(entry) || typeof entry.fullUrl !== 'string' || !isObject(entry.resource)) throw invalid('every entry needs a fullUrl and a resource');
    if (urls.has(entry.fullUrl)) throw invalid(`two entries have the fullUrl ${entry.fullUrl}`);
    urls.set(entry.fullUrl, entry.resource);
  }
  const composition = bundle.entry[0].resource;
  if (composition.resourceType !== 'Composition') throw invalid('the first entry is not a Composition');
  if (!['final', 'amended', 'preliminary'].includes(composition.status)) throw invalid("the Composition's status is not preliminary, final or amended");
  if (!hasLoinc(composition.type, SUMMARY_DOCUMENT)) throw invalid("the Composition's type is not LOINC 60591-5 (Patient summary Document)");
  if (urls.get(composition.subject?.reference)?.resourceType !== 'Patient') throw invalid("the Composition's subject does not resolve to a Patient entry");
  if (typeof composition.date !== 'string' || typeof composition.title !== 'string') throw invalid('the Composition needs a date and a title');
  if (!Array.isArray(composition.author) || composition.author.length === 0) throw invalid('the Composition needs an author');
  const present = new Set();
  for (const section of composition.section ?? []) {
    const known = SECTIONS.findLast((s) => hasLoinc(section?.code, s.code));
    const name = known ? known.title : 'a section';
    const listed = section?.entry ?? [];
    if (listed.length === 0 && !('emptyReason' in (section ?? {}))) throw invalid(`${name} has neither entries nor an emptyReason`);
    for (const reference of listed) {
      const target = urls.get(reference?.reference);
      if (!target) throw invalid(`${name} lists a reference to no entry`);
      if (known && !known.types.includes(target.resourceType)) throw invalid(`${name} lists a ${target.resourceType}`);
    }
    if (known) present.add(known.code);
  }
  for (const s of SECTIONS) if (s.required && !present.has(s.code)) throw invalid(`the required section ${s.title} is missing`);
  bundle.entry.slice(1).forEach((entry, i) => {
    // The web app's FHIR check knows the types a record may hold; the Patient is the document's own.
    if (entry.resource.resourceType === 'Patient') return;
    try {
      validateResource(entry.resource);
    } catch (error) {
      throw invalid(`entry ${i + 2}: ${error.message}`);
    }
  });
}
