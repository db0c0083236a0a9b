import { describe, expect, test } from 'vitest';
import { codeableText, dateText, dosageParts, frequencyText, observationValueText, periodText, quantityText, rangeText, referenceRangeText, unitText } from './format.js';

describe('codeable concept display', () => {
  test('text first, then the first coding with a display, then system and code', () => {
    expect(codeableText({ text: 'HbA1c', coding: [{ display: 'Hemoglobin A1c' }] })).toBe('HbA1c');
    expect(codeableText({ coding: [{ code: 'x' }, { system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }] })).toBe('Hemoglobin A1c');
    expect(codeableText({ coding: [{ system: 'http://loinc.org', code: '4548-4' }] })).toBe('LOINC 4548-4');
    expect(codeableText({ coding: [{ system: 'https://example.org/codes', code: 'Z1' }] })).toBe('example.org/codes Z1');
    expect(codeableText({ coding: [{ code: 'Z1' }] })).toBe('Z1');
    expect(codeableText({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] })).toBe('Vital signs');
    expect(codeableText({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HH' }] })).toBe('terminology.hl7.org/CodeSystem/v3-ObservationInterpretation HH');
  });
  test('missing or empty concepts show nothing', () => {
    expect(codeableText(undefined)).toBeNull();
    expect(codeableText({})).toBeNull();
    expect(codeableText({ text: '', coding: [] })).toBeNull();
    expect(codeableText({ coding: [{ system: 'http://loinc.org' }] })).toBeNull();
  });
});

describe('quantities and units', () => {
  test('the human unit, else the UCUM code made readable; percent without a space', () => {
    expect(quantityText({ value: 6.1, unit: '%' })).toBe('6.1%');
    expect(quantityText({ value: 5.4, unit: 'mmol/L', code: 'mmol/L' })).toBe('5.4 mmol/L');
    expect(quantityText({ value: 120, code: 'mm[Hg]' })).toBe('120 mmHg');
    expect(quantityText({ value: 37.2, code: 'Cel' })).toBe('37.2 °C');
    expect(quantityText({ value: 0.5, comparator: '<', unit: 'mg/L' })).toBe('< 0.5 mg/L');
    expect(quantityText({ value: 3 })).toBe('3');
    expect(quantityText({ value: 0, unit: 'mg' })).toBe('0 mg');
    expect(quantityText({ unit: 'mg' })).toBeNull();
    expect(unitText({})).toBeNull();
  });
  test('ranges: both bounds share the unit once; one bound as ≥ or ≤', () => {
    expect(rangeText({ low: { value: 4, unit: '%' }, high: { value: 6, unit: '%' } })).toBe('4–6%');
    expect(rangeText({ low: { value: 3.9, unit: 'mmol/L' }, high: { value: 5.6, unit: 'mmol/L' } })).toBe('3.9–5.6 mmol/L');
    expect(rangeText({ low: { value: 40, unit: 'mg/dL' } })).toBe('≥ 40 mg/dL');
    expect(rangeText({ high: { value: 5.6, unit: '%' } })).toBe('≤ 5.6%');
    expect(rangeText({})).toBeNull();
  });
  test('a reference range falls back to its text and names the group it applies to', () => {
    expect(referenceRangeText({ text: 'negative' })).toBe('negative');
    expect(referenceRangeText({ low: { value: 12, unit: 'g/dL' }, high: { value: 16, unit: 'g/dL' }, appliesTo: [{ text: 'women' }] })).toBe('12–16 g/dL (women)');
    expect(referenceRangeText({})).toBeNull();
  });
});

describe('dates as written, without time-zone conversion', () => {
  test('partial dates and date-times', () => {
    expect(dateText('2024')).toBe('2024');
    expect(dateText('2024-03')).toBe('Mar 2024');
    expect(dateText('2024-03-05')).toBe('5 Mar 2024');
    expect(dateText('2024-03-05T14:30:00+01:00')).toBe('5 Mar 2024, 14:30');
    expect(dateText('2024-12-31T23:59:59.123Z')).toBe('31 Dec 2024, 23:59');
  });
  test('anything else is shown unchanged; nothing for nothing', () => {
    expect(dateText('last spring')).toBe('last spring');
    expect(dateText('2024-13-01')).toBe('2024-13-01');
    expect(dateText(undefined)).toBeNull();
    expect(dateText('')).toBeNull();
  });
  test('periods', () => {
    expect(periodText({ start: '2024-01-01', end: '2024-02-01' })).toBe('1 Jan 2024 – 1 Feb 2024');
    expect(periodText({ start: '2024-01-01' })).toBe('since 1 Jan 2024');
    expect(periodText({ end: '2024-02' })).toBe('until Feb 2024');
    expect(periodText({})).toBeNull();
  });
});

describe('dosage', () => {
  test('frequency in words', () => {
    expect(frequencyText({ repeat: { frequency: 2, period: 1, periodUnit: 'd' } })).toBe('twice a day');
    expect(frequencyText({ repeat: { frequency: 1, period: 8, periodUnit: 'h' } })).toBe('every 8 hours');
    expect(frequencyText({ repeat: { frequency: 3, period: 2, periodUnit: 'wk' } })).toBe('three times every 2 weeks');
    expect(frequencyText({ code: { text: 'BID' } })).toBe('BID');
    expect(frequencyText({ repeat: { frequency: 2 } })).toBeNull();
    expect(frequencyText({ repeat: { frequency: 6, period: 1, periodUnit: 'd' } })).toBe('6 times a day');
    expect(frequencyText({ repeat: { frequency: 1, period: 1, periodUnit: 'h' } })).toBe('once an hour');
    expect(frequencyText({ repeat: { frequency: 1, period: 0.5, periodUnit: 'd' } })).toBe('every 0.5 days');
  });
  test('dose, route, frequency and text of the first dosage', () => {
    const parts = dosageParts([{
      text: '500 mg twice a day with food',
      route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route' }] },
      timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
      doseAndRate: [{ doseQuantity: { value: 500, unit: 'mg' } }],
      asNeededBoolean: false,
    }]);
    expect(parts).toEqual({ text: '500 mg twice a day with food', dose: '500 mg', route: 'Oral route', frequency: 'twice a day' });
    expect(dosageParts([{ asNeededBoolean: true }]).frequency).toBe('as needed');
    const timing = { repeat: { frequency: 1, period: 6, periodUnit: 'h' } };
    expect(dosageParts([{ timing, asNeededCodeableConcept: { text: 'pain' } }]).frequency).toBe('every 6 hours, as needed for pain');
    expect(dosageParts([{ timing, asNeededBoolean: true }]).frequency).toBe('every 6 hours, as needed');
    expect(dosageParts(undefined)).toEqual({ text: null, dose: null, route: null, frequency: null });
  });
});

describe('observation values', () => {
  test('each value[x]', () => {
    expect(observationValueText({ valueQuantity: { value: 6.1, unit: '%' } })).toBe('6.1%');
    expect(observationValueText({ valueCodeableConcept: { coding: [{ display: 'Positive' }] } })).toBe('Positive');
    expect(observationValueText({ valueString: 'trace' })).toBe('trace');
    expect(observationValueText({ valueBoolean: false })).toBe('no');
    expect(observationValueText({ valueInteger: 0 })).toBe('0');
    expect(observationValueText({ valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } })).toBe('1 : 128');
    expect(observationValueText({ dataAbsentReason: { text: 'Not performed' } })).toBe('no value (Not performed)');
    expect(observationValueText({})).toBeNull();
  });
});
