import { describe, expect, test } from 'vitest';
import { recordHeading, summarize } from './summary.js';
import en from '../i18n/en.js';
import { LANGUAGES, setLanguage } from '../i18n/index.js';

const field = (card, label) => card.fields.find(([l]) => l === label)?.[1];

describe('readable cards', () => {
  test('an Observation: value, unit, reference range, flag and date', () => {
    const card = summarize({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }], text: 'HbA1c' },
      valueQuantity: { value: 6.1, unit: '%' },
      referenceRange: [{ low: { value: 4, unit: '%' }, high: { value: 5.6, unit: '%' } }],
      effectiveDateTime: '2024-03-05',
    });
    expect(card.title).toBe('HbA1c');
    expect(card.value).toBe('6.1%');
    expect(card.flag).toMatchObject({ code: 'H', label: 'High' });
    expect(field(card, 'Reference range')).toBe('4–5.6%');
    expect(field(card, 'Date')).toBe('5 Mar 2024');
    expect(field(card, 'Status')).toBe('Final');
    expect(card.table).toBeNull();
  });
  test('an Observation with components (blood pressure) flags each component', () => {
    const component = (text, value, high) => ({ code: { text }, valueQuantity: { value, unit: 'mmHg' }, referenceRange: [{ high: { value: high, unit: 'mmHg' } }] });
    const card = summarize({ resourceType: 'Observation', status: 'final', code: { text: 'Blood pressure' }, component: [component('Systolic', 142, 130), component('Diastolic', 80, 85)] });
    expect(card.value).toBeNull();
    expect(card.flag).toBeNull();
    expect(card.table.rows.map((r) => [...r.cells, r.flag?.code])).toEqual([
      ['Systolic', '142 mmHg', '≤ 130 mmHg', 'H'],
      ['Diastolic', '80 mmHg', '≤ 85 mmHg', 'N'],
    ]);
  });
  test('the forms\' own resources: a coded value, a medication, an allergy', () => {
    expect(summarize({ resourceType: 'Observation', code: { text: 'COVID-19 PCR' }, valueCodeableConcept: { coding: [{ display: 'Not detected' }] } }).value).toBe('Not detected');
    const med = summarize({ resourceType: 'MedicationStatement', status: 'active', medicationCodeableConcept: { text: 'Metformin 500 mg' }, dosage: [{ text: 'twice a day' }], effectiveDateTime: '2024-01-10' });
    expect(med.title).toBe('Metformin 500 mg');
    expect(med.fields).toEqual([['Instructions', 'twice a day'], ['Period', '10 Jan 2024'], ['Status', 'Active']]);
    const allergy = summarize({ resourceType: 'AllergyIntolerance', criticality: 'high', code: { text: 'Peanuts' }, reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'severe' }] });
    expect(field(allergy, 'Criticality')).toBe('high');
    expect(allergy.table.rows[0].cells).toEqual(['Hives', 'Severe', '—', '—']);
  });
  test('a MedicationRequest: dose, route, frequency, prescriber', () => {
    const card = summarize({
      resourceType: 'MedicationRequest', status: 'active', intent: 'order', authoredOn: '2024-02-01',
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975' }] },
      requester: { display: 'Dr. Müller' },
      dosageInstruction: [{ route: { text: 'oral' }, timing: { repeat: { frequency: 1, period: 12, periodUnit: 'h' } }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }] }],
    });
    expect(card.title).toBe('RxNorm 860975');
    expect(card.fields).toEqual([['Dose', '1 tablet'], ['Route', 'oral'], ['Frequency', 'every 12 hours'], ['Written', '1 Feb 2024'], ['Prescriber', 'Dr. Müller'], ['Status', 'Active'], ['Intent', 'Order']]);
  });
  test('Immunization, Condition, DiagnosticReport, Procedure, Patient', () => {
    const imm = summarize({ resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'MMR' }, occurrenceDateTime: '2023-05-02', lotNumber: 'AB123', site: { text: 'left arm' } });
    expect([field(imm, 'Vaccine'), field(imm, 'Date'), field(imm, 'Lot'), field(imm, 'Site')]).toEqual(['MMR', '2 May 2023', 'AB123', 'left arm']);
    const cond = summarize({ resourceType: 'Condition', code: { text: 'Type 2 diabetes' }, clinicalStatus: { coding: [{ code: 'active' }] }, severity: { text: 'moderate' }, onsetDateTime: '2019' });
    expect([field(cond, 'Clinical status'), field(cond, 'Severity'), field(cond, 'Onset')]).toEqual(['active', 'moderate', '2019']);
    const report = summarize({ resourceType: 'DiagnosticReport', status: 'final', code: { text: 'Lipid panel' }, conclusion: 'LDL above target', result: [{ reference: 'Observation/1', display: 'LDL 3.9 mmol/L' }, { reference: 'Observation/2' }] });
    expect(field(report, 'Conclusion')).toBe('LDL above target');
    expect(report.table.rows.map((r) => r.cells[0])).toEqual(['LDL 3.9 mmol/L', 'Observation/2']);
    const proc = summarize({ resourceType: 'Procedure', status: 'completed', code: { text: 'Appendectomy' }, performedPeriod: { start: '2020-06-01' } });
    expect(field(proc, 'Performed')).toBe('since 1 Jun 2020');
    const pat = summarize({ resourceType: 'Patient', name: [{ given: ['Ada'], family: 'Lovelace' }], birthDate: '1815-12-10', gender: 'female' });
    expect(pat.title).toBe('Ada Lovelace');
    expect(field(pat, 'Born')).toBe('10 Dec 1815');
  });
  test('missing fields are left out, not shown as undefined', () => {
    const card = summarize({ resourceType: 'Condition', subject: { reference: 'Patient/x' } });
    expect(card.title).toBe('Condition');
    expect(card.fields).toEqual([]);
    expect(JSON.stringify(summarize({ resourceType: 'Observation', status: 'final', code: {} }))).not.toContain('undefined');
  });
  test('the viewer\'s heading: name and value, medication and dosage, allergy, document, patient', () => {
    expect(recordHeading({ resourceType: 'Observation', code: { text: 'HbA1c' }, valueQuantity: { value: 6.1, unit: '%' } })).toBe('HbA1c: 6.1 %');
    expect(recordHeading({ resourceType: 'Observation', valueString: 'trace' })).toBe('Observation: trace');
    expect(recordHeading({ resourceType: 'Observation', code: { text: 'HbA1c' } })).toBe('HbA1c');
    expect(recordHeading({ resourceType: 'MedicationStatement', medicationCodeableConcept: { text: 'Metformin' }, dosage: [{ text: 'twice a day' }] })).toBe('Metformin (twice a day)');
    expect(recordHeading({ resourceType: 'AllergyIntolerance' })).toBe('Allergy: unknown substance');
    expect(recordHeading({ resourceType: 'DocumentReference', content: [{ attachment: { title: 'cine.dcm' } }] })).toBe('cine.dcm');
    expect(recordHeading({ resourceType: 'Patient' })).toBe('Patient details');
    expect(recordHeading({ resourceType: 'Basic' })).toBe('Basic');
  });
  test('an unknown type has no card: the viewer falls back to the table', () => {
    expect(summarize({ resourceType: 'Basic' })).toBeNull();
    expect(summarize(null)).toBeNull();
  });
  test('the words are the language of the moment, not of the module\'s loading', () => {
    LANGUAGES.de = { ...en, 'records.clinical.flag.high': 'Hoch', 'records.clinical.label.referenceRange': 'Referenzbereich', 'records.clinical.date.day': '{day}. {month} {year}' };
    try {
      setLanguage('de');
      const card = summarize({ resourceType: 'Observation', code: { text: 'HbA1c' }, valueQuantity: { value: 6.1, unit: '%' }, referenceRange: [{ low: { value: 4, unit: '%' }, high: { value: 5.6, unit: '%' } }], effectiveDateTime: '2024-05-05' });
      expect(card.flag.label).toBe('Hoch');
      expect(field(card, 'Referenzbereich')).toBe('4–5.6%');
      expect(field(card, 'Date')).toBe('5. Mai 2024'); // the month's name from Intl
    } finally {
      setLanguage('en');
      delete LANGUAGES.de;
    }
    expect(summarize({ resourceType: 'Observation', code: { text: 'x' }, interpretation: [{ coding: [{ code: 'H' }] }] }).flag.label).toBe('High');
  });
});
