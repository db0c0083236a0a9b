// Record summaries in the browser (docs/format.md, "Record summaries"): what a writer derives
// from a record's FHIR resource, and the listed summaries opened with the caller's own keys
// (served inline with ?include=keys), so the timeline is searched and filtered here while the
// node sees only ciphertext. Mirrors src/medchain/records/fhir_summary.cpp.
import { fromHex, openContentKey, openSummary, sealSummary, toHex, encodeSummary } from '../crypto/index.js';
import { t } from '../i18n/index.js';

const text = (v) => (typeof v === 'string' ? v : '');
function conceptText(c) {
  if (!c || typeof c !== 'object') return '';
  if (text(c.text)) return c.text;
  const codings = Array.isArray(c.coding) ? c.coding : [];
  return codings.map((x) => text(x?.display)).find(Boolean) || codings.map((x) => text(x?.code)).find(Boolean) || '';
}
function firstDate(resource, names) {
  for (const n of names) {
    const v = resource[n];
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && text(v.start)) return v.start;
  }
  return '';
}

// {title, date, kind} of a resource (and its file's attachment, if any); `overrides` (a title or
// a date the writer typed) win. A derived date the format refuses is left out.
export function summaryOfResource(resource, attachment, overrides = {}) {
  const type = text(resource?.resourceType);
  let title = '';
  let date = '';
  if (type === 'Observation' || type === 'DiagnosticReport') {
    title = conceptText(resource.code);
    date = firstDate(resource, ['effectiveDateTime', 'effectivePeriod', 'effectiveInstant', 'issued']);
  } else if (type === 'MedicationStatement' || type === 'MedicationRequest') {
    title = conceptText(resource.medicationCodeableConcept);
    date = firstDate(resource, ['effectiveDateTime', 'effectivePeriod', 'authoredOn', 'dateAsserted']);
  } else if (type === 'Condition' || type === 'AllergyIntolerance') {
    title = conceptText(resource.code);
    date = firstDate(resource, ['onsetDateTime', 'onsetPeriod', 'recordedDate']);
  } else if (type === 'Immunization') {
    title = conceptText(resource.vaccineCode);
    date = firstDate(resource, ['occurrenceDateTime', 'recorded']);
  } else if (type === 'Procedure') {
    title = conceptText(resource.code);
    date = firstDate(resource, ['performedDateTime', 'performedPeriod']);
  } else if (type === 'DocumentReference') {
    const described = resource.content?.[0]?.attachment ?? {};
    title = text(described.title) || text(resource.description) || conceptText(resource.type);
    date = firstDate(resource, ['date']) || text(described.creation);
  }
  // eslint-disable-next-line no-control-regex
  title = [...(title || type || 'Record').replace(/[\u0000-\u001f\u007f]/g, ' ')].slice(0, 200).join('');
  const summary = { title: overrides.title || title, date: overrides.date || date, kind: attachment?.contentType || type || 'Resource' };
  try {
    encodeSummary(summary);
  } catch {
    if (!overrides.date) summary.date = '';
  }
  return summary;
}

// Seals `summary` for the version and stores it (PUT .../versions/{n}/summary).
export async function storeSummary(api, contentKey, binding, summary) {
  const sealed = await sealSummary(summary, contentKey, binding);
  await api.put(`/v1/records/${binding.recordId}/versions/${binding.version}/summary`, { summary: toHex(sealed) });
}

// For each listed version with a summary: {summary} opened, or {error} when it does not open
// (no key shared with the caller, a key or summary bound to another version, altered, invalid).
// Keyed by `${recordId}/${version}`.
// Without the caller's key (not unlocked yet) nothing is opened, and nothing is reported.
export async function openListedSummaries(records, keyPair) {
  const out = {};
  if (!keyPair) return out;
  for (const record of records ?? []) {
    for (const v of record.versions) {
      if (!v.summary) continue;
      const id = `${record.recordId}/${v.version}`;
      try {
        if (!v.sealedKey) throw new Error(t('state.summaries.noKey'));
        const binding = { recordId: record.recordId, version: v.version, digest: v.digest };
        const contentKey = await openContentKey(fromHex(v.sealedKey), binding, keyPair);
        out[id] = { summary: await openSummary(fromHex(v.summary), contentKey, binding) };
      } catch (error) {
        out[id] = { error: error.message };
      }
    }
  }
  return out;
}

// Whether a listed record (its newest version's opened summary `s`) passes the timeline's
// search text, kind and date range (YYYY-MM-DD strings, inclusive; '' for none).
export function matchesFilters(s, { search = '', kind = '', from = '', to = '' }) {
  if (!search && !kind && !from && !to) return true;
  if (!s) return false;
  if (search && !s.title.toLowerCase().includes(search.toLowerCase()) && !(s.authorName ?? '').toLowerCase().includes(search.toLowerCase())) return false;
  if (kind && s.kind !== kind) return false;
  const day = (s.date ?? '').slice(0, 10);
  if ((from || to) && !day) return false;
  if (from && day < from) return false;
  if (to && day.slice(0, to.length) > to) return false;
  return true;
}
