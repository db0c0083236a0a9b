// The flag of an observation value (High, Low, Critical, Normal, Abnormal): from its
// `interpretation` when the resource has one (the lab's judgement wins), else computed from the
// first reference range that applies to everyone against a numeric valueQuantity. Used for an
// Observation and for each of its components.
import { t } from '../i18n/index.js';
import { codeableText, unitText } from './format.js';

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

// v3 ObservationInterpretation codes -> the flag shown (its label a UI string id, put into words
// when a flag is made, in the language of the moment). "level" orders them for styling:
// critical > abnormal (high / low) > normal.
const CODES = {
  HH: { code: 'HH', label: 'records.clinical.flag.criticallyHigh', level: 'critical' },
  LL: { code: 'LL', label: 'records.clinical.flag.criticallyLow', level: 'critical' },
  AA: { code: 'AA', label: 'records.clinical.flag.criticallyAbnormal', level: 'critical' },
  'H>': { code: 'HH', label: 'records.clinical.flag.significantlyHigh', level: 'critical' },
  'L<': { code: 'LL', label: 'records.clinical.flag.significantlyLow', level: 'critical' },
  H: { code: 'H', label: 'records.clinical.flag.high', level: 'abnormal' },
  HU: { code: 'H', label: 'records.clinical.flag.significantlyHigh', level: 'abnormal' },
  L: { code: 'L', label: 'records.clinical.flag.low', level: 'abnormal' },
  LU: { code: 'L', label: 'records.clinical.flag.significantlyLow', level: 'abnormal' },
  A: { code: 'A', label: 'records.clinical.flag.abnormal', level: 'abnormal' },
  POS: { code: 'A', label: 'records.clinical.flag.positive', level: 'abnormal' },
  DET: { code: 'A', label: 'records.clinical.flag.detected', level: 'abnormal' },
  N: { code: 'N', label: 'records.clinical.flag.normal', level: 'normal' },
  NEG: { code: 'N', label: 'records.clinical.flag.negative', level: 'normal' },
  ND: { code: 'N', label: 'records.clinical.flag.notDetected', level: 'normal' },
};

const flagOf = (entry, source) => ({ ...entry, label: t(entry.label), source });

function fromInterpretation(interpretations) {
  for (const concept of Array.isArray(interpretations) ? interpretations : []) {
    for (const coding of concept?.coding ?? []) {
      // Codes without a system are read as v3 codes too: senders often leave it out.
      if ((!coding.system || coding.system === V3) && CODES[coding.code]) {
        return flagOf(CODES[coding.code], 'interpretation');
      }
    }
    const text = codeableText(concept);
    if (text) return { code: '?', label: text, level: 'unknown', source: 'interpretation' };
  }
  return null;
}

// A range entry with a type other than "normal" or with appliesTo/age limits is for a group the
// app cannot place the patient in, so it is not used to compute a flag.
function universalRange(ranges) {
  return (Array.isArray(ranges) ? ranges : []).find((r) => {
    const types = (r?.type?.coding ?? []).map((c) => c.code);
    return (r.low || r.high) && !r.appliesTo && !r.age && (types.length === 0 || types.includes('normal'));
  });
}

// The bound's unit must be the value's (or one of them unstated): 6 mmol/L is not compared
// with 4–6 %.
function comparable(quantity, bound) {
  if (typeof bound?.value !== 'number') return false;
  const a = quantity.code ?? unitText(quantity);
  const b = bound.code ?? unitText(bound);
  return !a || !b || a === b;
}

// holder: an Observation or one of its components. Returns { code, label, level, source } or
// null when neither an interpretation nor a usable range says anything.
export function observationFlag(holder) {
  if (!holder) return null;
  const interpreted = fromInterpretation(holder.interpretation);
  if (interpreted) return interpreted;
  const quantity = holder.valueQuantity;
  if (!quantity || typeof quantity.value !== 'number' || quantity.comparator) return null;
  const range = universalRange(holder.referenceRange);
  if (!range) return null;
  const { value } = quantity;
  const low = comparable(quantity, range.low) ? range.low.value : null;
  const high = comparable(quantity, range.high) ? range.high.value : null;
  if (low === null && high === null) return null;
  if (low !== null && value < low) return flagOf(CODES.L, 'range');
  if (high !== null && value > high) return flagOf(CODES.H, 'range');
  return flagOf(CODES.N, 'range');
}
