// A readable card for a FHIR resource: summarize(resource) returns { title, fields, table } where
// fields are [label, text] pairs (empty ones left out); table, when present, has a caption,
// column names and rows of { cells, flag? } (an Observation's components, an allergy's reactions,
// a DiagnosticReport's results); an Observation also has its value and flag. null for a resource type without
// a card: the viewer falls back to the table of paths.
import {
  codeableList,
  codeableText,
  dateText,
  dosageParts,
  humanNameText,
  observationValueText,
  periodText,
  quantityText,
  referenceRangeText,
  referenceText,
  statusText,
} from './format.js';
import { observationFlag } from './flag.js';

const fields = (...pairs) => pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
const first = (...values) => values.find((v) => v !== null && v !== undefined && v !== '') ?? null;
const list = (items, text) => {
  const shown = (Array.isArray(items) ? items : []).map(text).filter(Boolean);
  return shown.length ? shown.join(', ') : null;
};
const whenText = (r, prefix) => first(dateText(r[`${prefix}DateTime`]), periodText(r[`${prefix}Period`]), r[`${prefix}String`], r[`${prefix}Age`] ? `age ${quantityText(r[`${prefix}Age`])}` : null);

function observation(r) {
  const value = observationValueText(r);
  const components = (r.component ?? []).map((c) => ({
    cells: [codeableText(c.code) ?? 'Component', observationValueText(c) ?? '—', referenceRangeText(c.referenceRange?.[0]) ?? '—'],
    flag: observationFlag(c),
  }));
  return {
    title: codeableText(r.code) ?? 'Observation',
    value,
    flag: observationFlag(r),
    fields: fields(
      ['Reference range', list(r.referenceRange, referenceRangeText)],
      ['Interpretation', codeableList(r.interpretation)],
      ['Date', whenText(r, 'effective') ?? dateText(r.effectiveInstant) ?? dateText(r.issued)],
      ['Category', codeableList(r.category)],
      ['Method', codeableText(r.method)],
      ['Body site', codeableText(r.bodySite)],
      ['Performer', list(r.performer, referenceText)],
      ['Status', statusText(r.status)],
      ['Note', list(r.note, (n) => n.text)],
    ),
    table: components.length ? { caption: 'Components', columns: ['Component', 'Value', 'Reference range', 'Flag'], rows: components } : null,
  };
}

function medication(r) {
  const { text, dose, route, frequency } = dosageParts(r.dosage ?? r.dosageInstruction);
  const isRequest = r.resourceType === 'MedicationRequest';
  return {
    title: first(codeableText(r.medicationCodeableConcept), referenceText(r.medicationReference), 'Medication'),
    fields: fields(
      ['Dose', dose],
      ['Route', route],
      ['Frequency', frequency],
      ['Instructions', text],
      [isRequest ? 'Written' : 'Period', isRequest ? dateText(r.authoredOn) : whenText(r, 'effective')],
      ['Prescriber', isRequest ? referenceText(r.requester) : referenceText(r.informationSource)],
      ['Reason', codeableList(r.reasonCode)],
      ['Status', statusText(r.status)],
      ['Intent', isRequest ? statusText(r.intent) : null],
    ),
  };
}

function allergy(r) {
  const reactions = (r.reaction ?? []).map((reaction) => ({
    cells: [codeableList(reaction.manifestation) ?? '—', statusText(reaction.severity) ?? '—', codeableText(reaction.substance) ?? '—', dateText(reaction.onset) ?? '—'],
  }));
  return {
    title: codeableText(r.code) ?? 'Unknown substance',
    fields: fields(
      ['Substance', codeableText(r.code)],
      ['Criticality', r.criticality ?? null],
      ['Type', statusText(r.type)],
      ['Category', list(r.category, statusText)],
      ['Clinical status', codeableText(r.clinicalStatus)],
      ['Verification', codeableText(r.verificationStatus)],
      ['Onset', whenText(r, 'onset')],
      ['Recorded', dateText(r.recordedDate)],
    ),
    table: reactions.length ? { caption: 'Reactions', columns: ['Reaction', 'Severity', 'Substance', 'Onset'], rows: reactions } : null,
  };
}

function immunization(r) {
  return {
    title: codeableText(r.vaccineCode) ?? 'Vaccine',
    fields: fields(
      ['Vaccine', codeableText(r.vaccineCode)],
      ['Date', first(dateText(r.occurrenceDateTime), r.occurrenceString)],
      ['Lot', r.lotNumber ?? null],
      ['Expires', dateText(r.expirationDate)],
      ['Site', codeableText(r.site)],
      ['Route', codeableText(r.route)],
      ['Dose', quantityText(r.doseQuantity)],
      ['Dose number', list(r.protocolApplied, (p) => (p.doseNumberPositiveInt ?? p.doseNumberString ?? null) && `${p.doseNumberPositiveInt ?? p.doseNumberString}${p.seriesDosesPositiveInt ? ` of ${p.seriesDosesPositiveInt}` : ''}`)],
      ['Performer', list(r.performer, (p) => referenceText(p.actor))],
      ['Status', statusText(r.status)],
    ),
  };
}

function condition(r) {
  return {
    title: codeableText(r.code) ?? 'Condition',
    fields: fields(
      ['Condition', codeableText(r.code)],
      ['Clinical status', codeableText(r.clinicalStatus)],
      ['Verification', codeableText(r.verificationStatus)],
      ['Severity', codeableText(r.severity)],
      ['Onset', whenText(r, 'onset')],
      ['Abatement', whenText(r, 'abatement')],
      ['Body site', codeableList(r.bodySite)],
      ['Recorded', dateText(r.recordedDate)],
      ['Note', list(r.note, (n) => n.text)],
    ),
  };
}

function diagnosticReport(r) {
  const results = (r.result ?? []).map((ref) => ({ cells: [referenceText(ref) ?? '—'] }));
  return {
    title: codeableText(r.code) ?? 'Report',
    fields: fields(
      ['Conclusion', r.conclusion ?? null],
      ['Coded conclusion', codeableList(r.conclusionCode)],
      ['Date', whenText(r, 'effective') ?? dateText(r.issued)],
      ['Category', codeableList(r.category)],
      ['Performer', list(r.performer, referenceText)],
      ['Status', statusText(r.status)],
    ),
    table: results.length ? { caption: 'Results', columns: ['Result'], rows: results } : null,
  };
}

function procedure(r) {
  return {
    title: codeableText(r.code) ?? 'Procedure',
    fields: fields(
      ['Procedure', codeableText(r.code)],
      ['Performed', whenText(r, 'performed')],
      ['Performer', list(r.performer, (p) => referenceText(p.actor))],
      ['Body site', codeableList(r.bodySite)],
      ['Reason', codeableList(r.reasonCode)],
      ['Outcome', codeableText(r.outcome)],
      ['Status', statusText(r.status)],
      ['Note', list(r.note, (n) => n.text)],
    ),
  };
}

function documentReference(r) {
  return {
    title: first(r.description, codeableText(r.type), 'Document'),
    fields: fields(
      ['Type', codeableText(r.type)],
      ['Date', dateText(r.date)],
      ['Author', list(r.author, referenceText)],
      ['Attachments', list(r.content, (c) => c.attachment && first(c.attachment.title, c.attachment.contentType))],
      ['Status', statusText(r.status)],
    ),
  };
}

function patient(r) {
  return {
    title: humanNameText(r.name?.[0]) ?? 'Patient',
    fields: fields(
      ['Born', dateText(r.birthDate)],
      ['Gender', statusText(r.gender)],
      ['Identifiers', list(r.identifier, (i) => i.value && (i.system ? `${i.value} (${i.system})` : i.value))],
      ['Contact', list(r.telecom, (t) => t.value)],
      ['Address', list(r.address, (a) => a.text ?? [...(a.line ?? []), a.postalCode, a.city, a.country].filter(Boolean).join(', '))],
    ),
  };
}

const CARDS = {
  Observation: observation,
  MedicationStatement: medication,
  MedicationRequest: medication,
  AllergyIntolerance: allergy,
  Immunization: immunization,
  Condition: condition,
  DiagnosticReport: diagnosticReport,
  Procedure: procedure,
  DocumentReference: documentReference,
  Patient: patient,
};

export function summarize(resource) {
  const card = CARDS[resource?.resourceType];
  return card ? { kind: resource.resourceType, ...card(resource) } : null;
}
