import { describe, expect, test } from 'vitest';
import { observationFlag } from './flag.js';

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const range = (low, high, unit = '%') => [{ low: low === null ? undefined : { value: low, unit }, high: high === null ? undefined : { value: high, unit } }];
const obs = (value, ranges, extra = {}) => ({ valueQuantity: { value, unit: '%' }, referenceRange: ranges, ...extra });

describe('the flag of an observation', () => {
  test('computed from the reference range: low, high, normal, bounds inclusive', () => {
    expect(observationFlag(obs(3.9, range(4, 6)))).toMatchObject({ code: 'L', label: 'Low', level: 'abnormal', source: 'range' });
    expect(observationFlag(obs(6.1, range(4, 5.6)))).toMatchObject({ code: 'H', label: 'High', source: 'range' });
    expect(observationFlag(obs(4, range(4, 6)))).toMatchObject({ code: 'N', label: 'Normal' });
    expect(observationFlag(obs(6, range(4, 6)))).toMatchObject({ code: 'N' });
    expect(observationFlag(obs(7, range(null, 6)))).toMatchObject({ code: 'H' });
    expect(observationFlag(obs(1, range(2, null)))).toMatchObject({ code: 'L' });
  });
  test('the interpretation wins over the range, critical codes included', () => {
    const critical = obs(5, range(4, 6), { interpretation: [{ coding: [{ system: V3, code: 'HH' }] }] });
    expect(observationFlag(critical)).toMatchObject({ code: 'HH', label: 'Critically high', level: 'critical', source: 'interpretation' });
    expect(observationFlag({ interpretation: [{ coding: [{ code: 'LL' }] }] })).toMatchObject({ code: 'LL', level: 'critical' });
    expect(observationFlag({ interpretation: [{ coding: [{ system: V3, code: 'N' }] }] })).toMatchObject({ code: 'N', level: 'normal' });
    expect(observationFlag({ interpretation: [{ text: 'Borderline' }] })).toMatchObject({ label: 'Borderline', level: 'unknown' });
  });
  test('no flag without a usable range: other units, a comparator, group-specific ranges, no number', () => {
    expect(observationFlag({ valueQuantity: { value: 6, unit: 'mmol/L' }, referenceRange: range(4, 5.6, '%') })).toBeNull();
    expect(observationFlag(obs(6, [{ ...range(4, 5)[0], appliesTo: [{ text: 'women' }] }]))).toBeNull();
    expect(observationFlag(obs(6, [{ ...range(4, 5)[0], type: { coding: [{ code: 'treatment' }] } }]))).toBeNull();
    expect(observationFlag({ valueQuantity: { value: 0.5, comparator: '<', unit: '%' }, referenceRange: range(1, 2) })).toBeNull();
    expect(observationFlag({ valueString: 'high', referenceRange: range(1, 2) })).toBeNull();
    expect(observationFlag(obs(5, undefined))).toBeNull();
    expect(observationFlag(obs(5, [{ text: 'below 6' }]))).toBeNull();
    expect(observationFlag(undefined)).toBeNull();
  });
  test('a range with units unstated on one side is compared; UCUM codes count as units', () => {
    expect(observationFlag({ valueQuantity: { value: 7 }, referenceRange: range(4, 6) })).toMatchObject({ code: 'H' });
    expect(observationFlag({ valueQuantity: { value: 7, code: 'mmol/L' }, referenceRange: [{ high: { value: 6, code: 'mmol/L', unit: 'mmol per litre' } }] })).toMatchObject({ code: 'H' });
  });
});
