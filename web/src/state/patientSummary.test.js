// The cases of src/medchain/records/ips_test.cpp (PatientSummary.*), on the same resources.
import { describe, expect, test } from 'vitest';
import { makeSummary, validateSummary } from './patientSummary.js';
import { nameBasedUuid } from './recordBundle.js';
import { fileReference } from '../crypto/fhir.js';

const allergy = { resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p' }, code: { text: 'Penicillin' } };
const medication = { resourceType: 'MedicationStatement', status: 'active', subject: { reference: 'Patient/p' }, medicationCodeableConcept: { text: 'Metformin 500 mg' } };
const condition = { resourceType: 'Condition', subject: { reference: 'Patient/p' }, code: { text: 'Type 2 diabetes' } };
const bloodType = { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '882-1' }] }, valueCodeableConcept: { text: 'A Rh+' } };
const pulse = { resourceType: 'Observation', status: 'final', category: [{ coding: [{ code: 'vital-signs' }] }], code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, valueQuantity: { value: 72, unit: '/min' } };

const summaryOf = (resources) => makeSummary({ patient: `0x${'0'.repeat(40)}`, resources, now: '2026-12-04T11:00:00Z', documentId: 'test' });
const section = (bundle, code) => bundle.entry[0].resource.section.find((s) => s.code.coding[0].code === code);

describe('the International Patient Summary (as src/medchain/records/ips.cpp)', () => {
  test('lists each resource in its section and validates; files are left out', () => {
    const file = fileReference({ attachment: { contentType: 'image/png', size: 10, title: 'x.png' } });
    const bundle = summaryOf([allergy, medication, condition, bloodType, pulse, file]);
    expect(() => validateSummary(bundle)).not.toThrow();
    expect(bundle.type).toBe('document');
    expect(bundle.entry[1].resource.resourceType).toBe('Patient');
    expect(bundle.entry[1].resource.identifier[0].value).toBe(`0x${'0'.repeat(40)}`);
    expect(bundle.entry).toHaveLength(7);
    for (const code of ['48765-2', '10160-0', '11450-4', '30954-2', '8716-3']) expect(section(bundle, code).entry).toHaveLength(1);
    // The names the C++ gives its fullUrls and identifier.
    expect(bundle.entry[0].fullUrl).toBe(`urn:uuid:${nameBasedUuid('medchain summary test composition')}`);
    expect(bundle.identifier).toEqual({ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${nameBasedUuid('medchain summary test')}` });
    expect(section(bundle, '30954-2').entry[0].reference).toBe(`urn:uuid:${nameBasedUuid('medchain summary test entry 3')}`);
  });

  test('the required sections are present and say when they are empty', () => {
    const bundle = summaryOf([]);
    expect(() => validateSummary(bundle)).not.toThrow();
    expect(bundle.entry[0].resource.section).toHaveLength(3);
    expect(section(bundle, '48765-2').emptyReason.coding[0].code).toBe('unavailable');
  });

  test("the patient's own Patient resource is the subject", () => {
    const demographics = { resourceType: 'Patient', name: [{ family: 'Rossi', given: ['Anna'] }], birthDate: '1970-03-01' };
    const bundle = summaryOf([demographics, allergy]);
    expect(() => validateSummary(bundle)).not.toThrow();
    expect(bundle.entry[1].resource).toEqual(demographics);
  });

  test('refuses what is not an IPS document', () => {
    const good = summaryOf([allergy, medication, condition]);
    const refused = (change) => {
      const bundle = structuredClone(good);
      change(bundle);
      return () => validateSummary(bundle);
    };
    expect(refused((b) => b.entry[0].resource.section.splice(2, 1))).toThrow('Problem list is missing');
    expect(refused((b) => (b.entry[0].resource.section[0].entry[0].reference = 'urn:uuid:nowhere'))).toThrow('reference to no entry');
    expect(refused((b) => {
      const s = b.entry[0].resource.section;
      [s[0].entry, s[2].entry] = [s[2].entry, s[0].entry];
    })).toThrow('lists a Condition');
    expect(refused((b) => delete b.entry[2].resource.patient)).toThrow('entry 3');
    expect(refused((b) => (b.type = 'collection'))).toThrow('not a Bundle of type document');
    expect(refused((b) => (b.entry[0].resource.subject.reference = 'urn:uuid:someone'))).toThrow('subject');
  });
});
