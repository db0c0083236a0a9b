// FHIR R4 resources the web app writes: the structural check a resource passes before it is
// encrypted (resourceType known, required fields present, status from the value set), and
// builders for the forms (lab result / observation, medication, allergy, clinical note, file).
import { t } from '../i18n/index.js';

const STATUS = {
  Observation: ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'],
  MedicationStatement: ['active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'unknown', 'not-taken'],
  DocumentReference: ['current', 'superseded', 'entered-in-error'],
  DiagnosticReport: ['registered', 'partial', 'preliminary', 'final', 'amended', 'corrected', 'appended', 'cancelled', 'entered-in-error', 'unknown'],
  Immunization: ['completed', 'entered-in-error', 'not-done'],
  Procedure: ['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown'],
  MedicationRequest: ['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'],
  ImagingStudy: ['registered', 'available', 'cancelled', 'entered-in-error', 'unknown'],
  FamilyMemberHistory: ['partial', 'completed', 'entered-in-error', 'health-unknown'],
  CarePlan: ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'],
  Encounter: ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown'],
};

// Fields R4 requires (cardinality 1..*) of each type a record may hold: the same fourteen types
// as src/medchain/records/fhir.cpp, so a record either client writes the other accepts.
const REQUIRED = {
  Observation: ['status', 'code'],
  MedicationStatement: ['status', 'medicationCodeableConcept|medicationReference', 'subject'],
  AllergyIntolerance: ['patient'],
  Condition: ['subject'],
  Immunization: ['status', 'vaccineCode', 'patient', 'occurrenceDateTime|occurrenceString'],
  Procedure: ['status', 'subject'],
  DiagnosticReport: ['status', 'code'],
  DocumentReference: ['status', 'content'],
  MedicationRequest: ['status', 'intent', 'medicationCodeableConcept|medicationReference', 'subject'],
  ImagingStudy: ['status', 'subject'],
  FamilyMemberHistory: ['status', 'patient', 'relationship'],
  CarePlan: ['status', 'intent', 'subject'],
  Encounter: ['status', 'class'],
  Patient: [],
};

export const RESOURCE_TYPES = Object.keys(REQUIRED);

export function validateResource(resource) {
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) {
    throw new Error(t('state.resource.notAnObject'));
  }
  const type = resource.resourceType;
  if (!REQUIRED[type]) throw new Error(t('state.resource.unknownType', { type: JSON.stringify(type) }));
  for (const field of REQUIRED[type]) {
    const names = field.split('|');
    if (!names.some((name) => resource[name] !== undefined && resource[name] !== '')) {
      throw new Error(names.length === 1 ? t('state.resource.needs', { type, field }) : t('state.resource.needsEither', { type, first: names[0], second: names[1] }));
    }
  }
  if (STATUS[type] && !STATUS[type].includes(resource.status)) {
    throw new Error(t('state.resource.badStatus', { type, status: JSON.stringify(resource.status), allowed: STATUS[type].join(', ') }));
  }
  if (type === 'DocumentReference' && (!Array.isArray(resource.content) || resource.content.length === 0)) {
    throw new Error(t('state.resource.noContent'));
  }
  if (resource.id !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(resource.id)) {
    throw new Error(t('state.resource.badId'));
  }
}

const subject = (patient) => ({ reference: `Patient/${patient}` });
const text = (value) => ({ text: value });

// A reference range bound from a form field: a number, or nothing when the field is empty.
const bound = (text, unit) => {
  const number = Number(text);
  return text !== undefined && String(text).trim() !== '' && Number.isFinite(number) ? { value: number, unit: unit || undefined } : undefined;
};

export function observation({ patient, code, value, unit, date, laboratory, low, high }) {
  const resource = {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: laboratory ? 'laboratory' : 'vital-signs' }] }],
    code: text(code),
    subject: subject(patient),
    effectiveDateTime: date,
  };
  const number = Number(value);
  if (value !== '' && Number.isFinite(number)) resource.valueQuantity = { value: number, unit };
  else resource.valueString = unit ? `${value} ${unit}` : value;
  const range = { low: bound(low, unit), high: bound(high, unit) };
  if (range.low || range.high) resource.referenceRange = [JSON.parse(JSON.stringify(range))];
  return resource;
}

export function medicationStatement({ patient, medication, dosage, status = 'active', date }) {
  return {
    resourceType: 'MedicationStatement',
    status,
    medicationCodeableConcept: text(medication),
    subject: subject(patient),
    effectiveDateTime: date,
    dosage: dosage ? [{ text: dosage }] : undefined,
  };
}

export function allergyIntolerance({ patient, substance, reaction, criticality = 'low' }) {
  return {
    resourceType: 'AllergyIntolerance',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    criticality,
    code: text(substance),
    patient: subject(patient),
    reaction: reaction ? [{ manifestation: [text(reaction)] }] : undefined,
  };
}

const base64 = (value) => btoa(String.fromCharCode(...new TextEncoder().encode(value)));

export function clinicalNote({ patient, title, note, author, date }) {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }], text: title },
    subject: subject(patient),
    date,
    author: author ? [{ reference: `Practitioner/${author}` }] : undefined,
    description: title,
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(note), title } }],
  };
}

// A file record's DocumentReference: the attachment's bytes follow the manifest, not in `data`.
export function fileReference({ patient, attachment, description }) {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    subject: patient ? subject(patient) : undefined,
    description: description || attachment.title,
    content: [{ attachment: { contentType: attachment.contentType, size: attachment.size, title: attachment.title } }],
  };
}
