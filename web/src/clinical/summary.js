// A readable card for a FHIR resource: summarize(resource) returns { title, fields, table } where
// fields are [label, text] pairs (empty ones left out); table, when present, has a caption,
// column names and rows of { cells, flag? } (an Observation's components, an allergy's reactions,
// a DiagnosticReport's results); an Observation also has its value and flag. null for a resource type without
// a card: the viewer falls back to the table of paths. Labels, captions and fallback titles are UI
// strings (records.clinical.* in the catalogue), in the language of the moment.
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
import { t } from '../i18n/index.js';

const fields = (...pairs) => pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
const first = (...values) => values.find((v) => v !== null && v !== undefined && v !== '') ?? null;
const list = (items, text) => {
  const shown = (Array.isArray(items) ? items : []).map(text).filter(Boolean);
  return shown.length ? shown.join(', ') : null;
};
const whenText = (r, prefix) => first(dateText(r[`${prefix}DateTime`]), periodText(r[`${prefix}Period`]), r[`${prefix}String`], r[`${prefix}Age`] ? t('records.clinical.age', { age: quantityText(r[`${prefix}Age`]) }) : null);

function observation(r) {
  const value = observationValueText(r);
  const components = (r.component ?? []).map((c) => ({
    cells: [codeableText(c.code) ?? t('records.clinical.label.component'), observationValueText(c) ?? '—', referenceRangeText(c.referenceRange?.[0]) ?? '—'],
    flag: observationFlag(c),
  }));
  return {
    title: codeableText(r.code) ?? t('records.clinical.title.observation'),
    value,
    flag: observationFlag(r),
    fields: fields(
      [t('records.clinical.label.referenceRange'), list(r.referenceRange, referenceRangeText)],
      [t('records.clinical.label.interpretation'), codeableList(r.interpretation)],
      [t('records.clinical.label.date'), whenText(r, 'effective') ?? dateText(r.effectiveInstant) ?? dateText(r.issued)],
      [t('records.clinical.label.category'), codeableList(r.category)],
      [t('records.clinical.label.method'), codeableText(r.method)],
      [t('records.clinical.label.bodySite'), codeableText(r.bodySite)],
      [t('records.clinical.label.performer'), list(r.performer, referenceText)],
      [t('records.clinical.label.status'), statusText(r.status)],
      [t('records.clinical.label.note'), list(r.note, (n) => n.text)],
    ),
    table: components.length ? { caption: t('records.clinical.table.components'), columns: [t('records.clinical.label.component'), t('records.clinical.label.value'), t('records.clinical.label.referenceRange'), t('records.clinical.label.flag')], rows: components } : null,
  };
}

function medication(r) {
  const { text, dose, route, frequency } = dosageParts(r.dosage ?? r.dosageInstruction);
  const isRequest = r.resourceType === 'MedicationRequest';
  return {
    title: first(codeableText(r.medicationCodeableConcept), referenceText(r.medicationReference), t('records.clinical.title.medication')),
    fields: fields(
      [t('records.clinical.label.dose'), dose],
      [t('records.clinical.label.route'), route],
      [t('records.clinical.label.frequency'), frequency],
      [t('records.clinical.label.instructions'), text],
      [t(isRequest ? 'records.clinical.label.written' : 'records.clinical.label.period'), isRequest ? dateText(r.authoredOn) : whenText(r, 'effective')],
      [t('records.clinical.label.prescriber'), isRequest ? referenceText(r.requester) : referenceText(r.informationSource)],
      [t('records.clinical.label.reason'), codeableList(r.reasonCode)],
      [t('records.clinical.label.status'), statusText(r.status)],
      [t('records.clinical.label.intent'), isRequest ? statusText(r.intent) : null],
    ),
  };
}

function allergy(r) {
  const reactions = (r.reaction ?? []).map((reaction) => ({
    cells: [codeableList(reaction.manifestation) ?? '—', statusText(reaction.severity) ?? '—', codeableText(reaction.substance) ?? '—', dateText(reaction.onset) ?? '—'],
  }));
  return {
    title: codeableText(r.code) ?? t('records.clinical.title.unknownSubstance'),
    fields: fields(
      [t('records.clinical.label.substance'), codeableText(r.code)],
      [t('records.clinical.label.criticality'), r.criticality ?? null],
      [t('records.clinical.label.type'), statusText(r.type)],
      [t('records.clinical.label.category'), list(r.category, statusText)],
      [t('records.clinical.label.clinicalStatus'), codeableText(r.clinicalStatus)],
      [t('records.clinical.label.verification'), codeableText(r.verificationStatus)],
      [t('records.clinical.label.onset'), whenText(r, 'onset')],
      [t('records.clinical.label.recorded'), dateText(r.recordedDate)],
    ),
    table: reactions.length ? { caption: t('records.clinical.table.reactions'), columns: [t('records.clinical.label.reaction'), t('records.clinical.label.severity'), t('records.clinical.label.substance'), t('records.clinical.label.onset')], rows: reactions } : null,
  };
}

// "2", or "2 of 3" when the series' length is known.
function doseNumberText(p) {
  const dose = p.doseNumberPositiveInt ?? p.doseNumberString ?? null;
  if (dose === null) return null;
  return p.seriesDosesPositiveInt ? t('records.clinical.doseOf', { dose, doses: p.seriesDosesPositiveInt }) : String(dose);
}

function immunization(r) {
  return {
    title: codeableText(r.vaccineCode) ?? t('records.clinical.title.vaccine'),
    fields: fields(
      [t('records.clinical.label.vaccine'), codeableText(r.vaccineCode)],
      [t('records.clinical.label.date'), first(dateText(r.occurrenceDateTime), r.occurrenceString)],
      [t('records.clinical.label.lot'), r.lotNumber ?? null],
      [t('records.clinical.label.expires'), dateText(r.expirationDate)],
      [t('records.clinical.label.site'), codeableText(r.site)],
      [t('records.clinical.label.route'), codeableText(r.route)],
      [t('records.clinical.label.dose'), quantityText(r.doseQuantity)],
      [t('records.clinical.label.doseNumber'), list(r.protocolApplied, doseNumberText)],
      [t('records.clinical.label.performer'), list(r.performer, (p) => referenceText(p.actor))],
      [t('records.clinical.label.status'), statusText(r.status)],
    ),
  };
}

function condition(r) {
  return {
    title: codeableText(r.code) ?? t('records.clinical.title.condition'),
    fields: fields(
      [t('records.clinical.label.condition'), codeableText(r.code)],
      [t('records.clinical.label.clinicalStatus'), codeableText(r.clinicalStatus)],
      [t('records.clinical.label.verification'), codeableText(r.verificationStatus)],
      [t('records.clinical.label.severity'), codeableText(r.severity)],
      [t('records.clinical.label.onset'), whenText(r, 'onset')],
      [t('records.clinical.label.abatement'), whenText(r, 'abatement')],
      [t('records.clinical.label.bodySite'), codeableList(r.bodySite)],
      [t('records.clinical.label.recorded'), dateText(r.recordedDate)],
      [t('records.clinical.label.note'), list(r.note, (n) => n.text)],
    ),
  };
}

function diagnosticReport(r) {
  const results = (r.result ?? []).map((ref) => ({ cells: [referenceText(ref) ?? '—'] }));
  return {
    title: codeableText(r.code) ?? t('records.clinical.title.report'),
    fields: fields(
      [t('records.clinical.label.conclusion'), r.conclusion ?? null],
      [t('records.clinical.label.codedConclusion'), codeableList(r.conclusionCode)],
      [t('records.clinical.label.date'), whenText(r, 'effective') ?? dateText(r.issued)],
      [t('records.clinical.label.category'), codeableList(r.category)],
      [t('records.clinical.label.performer'), list(r.performer, referenceText)],
      [t('records.clinical.label.status'), statusText(r.status)],
    ),
    table: results.length ? { caption: t('records.clinical.table.results'), columns: [t('records.clinical.label.result')], rows: results } : null,
  };
}

function procedure(r) {
  return {
    title: codeableText(r.code) ?? t('records.clinical.title.procedure'),
    fields: fields(
      [t('records.clinical.label.procedure'), codeableText(r.code)],
      [t('records.clinical.label.performed'), whenText(r, 'performed')],
      [t('records.clinical.label.performer'), list(r.performer, (p) => referenceText(p.actor))],
      [t('records.clinical.label.bodySite'), codeableList(r.bodySite)],
      [t('records.clinical.label.reason'), codeableList(r.reasonCode)],
      [t('records.clinical.label.outcome'), codeableText(r.outcome)],
      [t('records.clinical.label.status'), statusText(r.status)],
      [t('records.clinical.label.note'), list(r.note, (n) => n.text)],
    ),
  };
}

function documentReference(r) {
  return {
    title: first(r.description, codeableText(r.type), t('records.clinical.title.document')),
    fields: fields(
      [t('records.clinical.label.type'), codeableText(r.type)],
      [t('records.clinical.label.date'), dateText(r.date)],
      [t('records.clinical.label.author'), list(r.author, referenceText)],
      [t('records.clinical.label.attachments'), list(r.content, (c) => c.attachment && first(c.attachment.title, c.attachment.contentType))],
      [t('records.clinical.label.status'), statusText(r.status)],
    ),
  };
}

function patient(r) {
  return {
    title: humanNameText(r.name?.[0]) ?? t('records.clinical.title.patient'),
    fields: fields(
      [t('records.clinical.label.born'), dateText(r.birthDate)],
      [t('records.clinical.label.gender'), statusText(r.gender)],
      [t('records.clinical.label.identifiers'), list(r.identifier, (i) => i.value && (i.system ? `${i.value} (${i.system})` : i.value))],
      [t('records.clinical.label.contact'), list(r.telecom, (contact) => contact.value)],
      [t('records.clinical.label.address'), list(r.address, (a) => a.text ?? [...(a.line ?? []), a.postalCode, a.city, a.country].filter(Boolean).join(', '))],
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

// The record viewer's heading for a resource: "HbA1c: 6.1 %", "Metformin 500 mg (twice a day)",
// "Allergy: Penicillin", a document's description, "Patient details"; else its resource type.
export function recordHeading(resource) {
  switch (resource?.resourceType) {
    case 'Observation': {
      const name = resource.code?.text ?? t('records.clinical.title.observation');
      const quantity = resource.valueQuantity;
      const value = (quantity ? `${quantity.value} ${quantity.unit ?? ''}` : resource.valueString)?.trim();
      return value ? t('records.clinical.heading.withValue', { name, value }) : name;
    }
    case 'MedicationStatement': {
      const name = resource.medicationCodeableConcept?.text ?? t('records.clinical.title.medication');
      const dosage = resource.dosage?.[0]?.text;
      return dosage ? t('records.clinical.heading.withDosage', { name, dosage }) : name;
    }
    case 'AllergyIntolerance':
      return t('records.clinical.heading.allergy', { substance: resource.code?.text ?? t('records.clinical.heading.unknownSubstance') });
    case 'DocumentReference':
      return resource.description ?? resource.content?.[0]?.attachment?.title ?? t('records.clinical.title.document');
    case 'Patient':
      return t('records.clinical.heading.patient');
    default:
      return resource?.resourceType ?? t('records.viewer.title');
  }
}

export function summarize(resource) {
  const card = CARDS[resource?.resourceType];
  return card ? { kind: resource.resourceType, ...card(resource) } : null;
}
