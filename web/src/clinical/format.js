// Display rules for FHIR R4 datatypes (CodeableConcept, Quantity, dates, periods, references,
// human names, dosages): each returns a short string, or null when there is nothing to show, so a
// card leaves the field out instead of printing "undefined". No React here; ClinicalCard renders.
// The words are UI strings (records.clinical.* in the catalogue), looked up when called, so a card
// reads in the language of the moment; codes, units and a resource's own text are data and stay.
import { currentLanguage, t } from '../i18n/index.js';

const SYSTEMS = {
  'http://loinc.org': 'LOINC',
  'http://snomed.info/sct': 'SNOMED CT',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/cvx': 'CVX',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
  'http://unitsofmeasure.org': 'UCUM',
};

const present = (value) => value !== undefined && value !== null && value !== '';

// HL7's own code systems use words as codes ("vital-signs", "active"): shown as those words.
const HL7_WORDS = 'http://terminology.hl7.org/CodeSystem/';

// A CodeableConcept: its text, else the first coding's display, else an HL7 code system's code as
// words ("Vital signs"), else "SYSTEM code".
export function codeableText(concept) {
  if (!concept || typeof concept !== 'object') return null;
  if (present(concept.text)) return String(concept.text);
  const codings = Array.isArray(concept.coding) ? concept.coding : [];
  const shown = codings.find((c) => present(c?.display));
  if (shown) return String(shown.display);
  const coded = codings.find((c) => present(c?.code));
  if (!coded) return null;
  if (coded.system?.startsWith(HL7_WORDS) && /^[a-z][a-z-]*$/.test(coded.code)) return statusText(coded.code);
  const system = SYSTEMS[coded.system] ?? (coded.system ? coded.system.replace(/^https?:\/\//, '') : null);
  return system ? `${system} ${coded.code}` : String(coded.code);
}

// Several concepts (reaction manifestations, reason codes) joined with commas.
export function codeableList(concepts) {
  const texts = (Array.isArray(concepts) ? concepts : concepts ? [concepts] : []).map(codeableText).filter(Boolean);
  return texts.length ? texts.join(', ') : null;
}

// The code of the first coding whose system is `system` (or of any coding when system is omitted).
export function codingCode(concept, system) {
  const coding = (concept?.coding ?? []).find((c) => present(c?.code) && (!system || c.system === system));
  return coding ? String(coding.code) : null;
}

// UCUM codes people read differently from how they are written.
const UNIT_DISPLAY = { '%': '%', '[degF]': '°F', Cel: '°C', '/min': '/min', '{beats}/min': 'beats/min', 'mm[Hg]': 'mmHg', '10*3/uL': '×10³/µL', '10*9/L': '×10⁹/L', '10*12/L': '×10¹²/L', ug: 'µg', 'ug/L': 'µg/L', 'umol/L': 'µmol/L', uL: 'µL', 'mL/min/{1.73_m2}': 'mL/min/1.73 m²' };

// The unit of a Quantity: its human `unit`, else its UCUM `code` made readable.
export function unitText(quantity) {
  if (!quantity) return null;
  if (present(quantity.unit)) return String(quantity.unit);
  if (present(quantity.code)) return UNIT_DISPLAY[quantity.code] ?? String(quantity.code);
  return null;
}

// A number as written in the resource (FHIR decimals keep their precision: 6.10 stays 6.10 when
// it came as a string; JSON numbers print as JavaScript prints them).
const numberText = (value) => (typeof value === 'number' ? String(value) : present(value) ? String(value) : null);

// A Quantity: "<comparator>value unit" ("6.1 %", "< 0.5 mg/L", "120 mmHg"); null without a value.
export function quantityText(quantity) {
  if (!quantity || !present(quantity.value)) return null;
  const unit = unitText(quantity);
  const spaced = unit && unit !== '%' ? ` ${unit}` : unit ?? '';
  return `${quantity.comparator ? `${quantity.comparator} ` : ''}${numberText(quantity.value)}${spaced}`;
}

// A Range: "4.0–6.0 %", "≥ 40 mg/dL", "≤ 5.6 %".
export function rangeText(range) {
  if (!range) return null;
  const low = quantityText(range.low);
  const high = quantityText(range.high);
  if (low && high) {
    const lowUnit = unitText(range.low);
    const sameUnit = lowUnit === unitText(range.high);
    return `${sameUnit ? numberText(range.low.value) : low}–${high}`;
  }
  if (low) return `≥ ${low}`;
  if (high) return `≤ ${high}`;
  return null;
}

// An Observation.referenceRange entry: the range, else its text; "(age 18–65)"-style qualifiers
// appended when it applies to a group only.
export function referenceRangeText(entry) {
  if (!entry) return null;
  const range = rangeText({ low: entry.low, high: entry.high });
  const main = range ?? (present(entry.text) ? String(entry.text) : null);
  if (!main) return null;
  const qualifiers = [codeableText(entry.type), codeableList(entry.appliesTo), entry.age ? t('records.clinical.age', { age: rangeText(entry.age) }) : null].filter(Boolean);
  return qualifiers.length && range ? `${main} (${qualifiers.join('; ')})` : main;
}

// A month's short name in the current language ("Mar" in English), from Intl; the order of day,
// month and year is the catalogue's (records.clinical.date.*).
const monthName = (index) => new Intl.DateTimeFormat(currentLanguage(), { month: 'short', timeZone: 'UTC' }).format(Date.UTC(2000, index, 1));

// A FHIR date or dateTime as it was written, with no time-zone conversion (the time a lab wrote
// is the time shown): "2024" -> "2024", "2024-03" -> "Mar 2024", "2024-03-05" -> "5 Mar 2024",
// "2024-03-05T14:30:00+01:00" -> "5 Mar 2024, 14:30" (in English). Anything else is shown unchanged.
export function dateText(value) {
  if (!present(value)) return null;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(String(value));
  if (!match) return String(value);
  const [, year, month, day, hour, minute] = match;
  const monthIndex = Number(month) - 1;
  if (month && !(monthIndex >= 0 && monthIndex < 12)) return String(value);
  if (!month) return year;
  if (!day) return t('records.clinical.date.month', { month: monthName(monthIndex), year });
  const date = t('records.clinical.date.day', { day: Number(day), month: monthName(monthIndex), year });
  return hour ? t('records.clinical.date.time', { date, hour, minute }) : date;
}

// A Period: "5 Mar 2024 – 12 Mar 2024", "since 5 Mar 2024", "until 12 Mar 2024".
export function periodText(period) {
  if (!period) return null;
  const start = dateText(period.start);
  const end = dateText(period.end);
  if (start && end) return t('records.clinical.period.between', { start, end });
  if (start) return t('records.clinical.period.since', { start });
  if (end) return t('records.clinical.period.until', { end });
  return null;
}

// A Reference: its display, else the reference itself ("Practitioner/0xab…").
export function referenceText(reference) {
  if (!reference) return null;
  if (present(reference.display)) return String(reference.display);
  if (present(reference.reference)) return String(reference.reference);
  return codeableText(reference.concept) ?? null;
}

// A HumanName: its text, else prefix given family suffix.
export function humanNameText(name) {
  if (!name) return null;
  if (present(name.text)) return String(name.text);
  const parts = [...(name.prefix ?? []), ...(name.given ?? []), name.family, ...(name.suffix ?? [])].filter(present);
  return parts.length ? parts.join(' ') : null;
}

// Timing.repeat's period units (UCUM), each with its own sentences in the catalogue
// (records.clinical.frequency.*.<unit>): "a day" and "every 2 days" differ by unit in many languages.
const PERIOD_UNITS = new Set(['s', 'min', 'h', 'd', 'wk', 'mo', 'a']);
// Frequencies with a word of their own ("once", "twice"); others are "{count} times".
const NAMED_TIMES = new Set([1, 2, 3, 4]);

// Timing.repeat as words: frequency 2 per 1 d -> "twice a day"; 1 per 8 h -> "every 8 hours".
export function frequencyText(timing) {
  if (!timing) return null;
  const coded = codeableText(timing.code);
  const repeat = timing.repeat;
  const unit = repeat?.periodUnit;
  if (!repeat || !present(repeat.period) || !PERIOD_UNITS.has(unit)) return coded;
  const frequency = Number(repeat.frequency ?? 1);
  const period = Number(repeat.period);
  if (frequency === 1 && period !== 1) return t(`records.clinical.frequency.every.${unit}`, { count: period });
  const times = NAMED_TIMES.has(frequency) ? t(`records.clinical.frequency.times.${frequency}`) : t('records.clinical.frequency.times', { count: frequency });
  return period === 1 ? t(`records.clinical.frequency.per.${unit}`, { times }) : t(`records.clinical.frequency.timesEvery.${unit}`, { times, count: period });
}

// The parts of the first Dosage that a card shows: dose, route, frequency, and its text.
export function dosageParts(dosages) {
  const dosage = Array.isArray(dosages) ? dosages[0] : dosages;
  if (!dosage) return { text: null, dose: null, route: null, frequency: null };
  const rate = dosage.doseAndRate?.[0];
  const dose = quantityText(rate?.doseQuantity) ?? rangeText(rate?.doseRange);
  let frequency = frequencyText(dosage.timing);
  if (dosage.asNeededBoolean) frequency = frequency ? t('records.clinical.dosage.andAsNeeded', { frequency }) : t('records.clinical.dosage.asNeeded');
  else if (dosage.asNeededCodeableConcept) {
    const reason = codeableText(dosage.asNeededCodeableConcept);
    frequency = frequency ? t('records.clinical.dosage.andAsNeededFor', { frequency, reason }) : t('records.clinical.dosage.asNeededFor', { reason });
  }
  return { text: present(dosage.text) ? String(dosage.text) : null, dose, route: codeableText(dosage.route), frequency };
}

// A value[x] of an Observation or a component: Quantity, CodeableConcept, string, boolean,
// integer, Range, Ratio, Period, dateTime, time.
export function observationValueText(holder) {
  if (!holder) return null;
  if (holder.valueQuantity) return quantityText(holder.valueQuantity);
  if (holder.valueCodeableConcept) return codeableText(holder.valueCodeableConcept);
  if (present(holder.valueString)) return String(holder.valueString);
  if (typeof holder.valueBoolean === 'boolean') return t(holder.valueBoolean ? 'records.clinical.value.yes' : 'records.clinical.value.no');
  if (present(holder.valueInteger)) return String(holder.valueInteger);
  if (holder.valueRange) return rangeText(holder.valueRange);
  if (holder.valueRatio) {
    const { numerator, denominator } = holder.valueRatio;
    const n = quantityText(numerator);
    const d = quantityText(denominator);
    return n && d ? `${n} : ${d}` : n;
  }
  if (holder.valuePeriod) return periodText(holder.valuePeriod);
  if (present(holder.valueDateTime)) return dateText(holder.valueDateTime);
  if (present(holder.valueTime)) return String(holder.valueTime);
  if (holder.dataAbsentReason) return t('records.clinical.value.absent', { reason: codeableText(holder.dataAbsentReason) ?? t('records.clinical.value.absentReason') });
  return null;
}

// "entered-in-error" -> "Entered in error".
export function statusText(code) {
  if (!present(code)) return null;
  const words = String(code).replace(/[-_]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
