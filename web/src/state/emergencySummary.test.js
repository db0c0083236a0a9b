// The emergency summary's record id and Bundle (docs/format.md, "Emergency summary"), against the
// vector the C++ test checks too (tests/data/emergency_summary_vector.json): both clients derive
// the same record id and build the same document from the same facts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkFacts, emergencySummaryRecordId, factsOf, makeEmergencyBundle, newestOwnVersion, summaryDocumentReference } from './emergencySummary.js';
import { validateSummary } from './patientSummary.js';

const vector = JSON.parse(readFileSync(join(import.meta.dirname, '../../../tests/data/emergency_summary_vector.json'), 'utf8'));

describe('the emergency summary', () => {
  test('its record id is keccak256 of the domain and the patient, as the C++ client derives it', () => {
    expect(emergencySummaryRecordId(vector.patient)).toBe(vector.recordId);
    expect(emergencySummaryRecordId(vector.patient.toLowerCase())).toBe(vector.recordId);
    expect(emergencySummaryRecordId(`0x${'0'.repeat(40)}`)).not.toBe(vector.recordId);
  });

  test('the Bundle of the facts is the one the C++ client builds, an IPS document that states them back', () => {
    const bundle = makeEmergencyBundle({ patient: vector.patient, facts: vector.facts, now: vector.now });
    expect(bundle).toEqual(vector.bundle);
    expect(() => validateSummary(bundle)).not.toThrow();
    expect(factsOf(bundle)).toEqual(vector.facts);
  });

  test('an empty summary is still a valid document', () => {
    const bundle = makeEmergencyBundle({ patient: vector.patient, facts: { allergies: [], medications: [], conditions: [], bloodType: '' }, now: vector.now });
    expect(() => validateSummary(bundle)).not.toThrow();
    expect(factsOf(bundle)).toEqual({ allergies: [], medications: [], conditions: [], bloodType: '' });
  });

  test('refuses a blood type outside the eight groups, empty, long or multi-line entries', () => {
    expect(() => checkFacts({ bloodType: 'C+' })).toThrow(/blood type is one of/);
    expect(() => checkFacts({ allergies: [''] })).toThrow(/1 to 200/);
    expect(() => checkFacts({ medications: ['x'.repeat(201)] })).toThrow(/1 to 200/);
    expect(() => checkFacts({ conditions: ['a\nb'] })).toThrow(/1 to 200/);
    expect(() => checkFacts({ allergies: ['Latex'], bloodType: 'AB+' })).not.toThrow();
  });

  test('reads the newest version the patient or a guardian wrote, not one a doctor appended', () => {
    const patient = vector.patient;
    const guardian = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
    const doctor = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
    const record = { versions: [{ version: 1, author: patient }, { version: 2, author: guardian }, { version: 3, author: doctor }] };
    expect(newestOwnVersion(record, patient, [guardian]).version).toBe(2);
    expect(newestOwnVersion(record, patient, []).version).toBe(1);
    expect(newestOwnVersion({ versions: [{ version: 1, author: doctor }] }, patient, [])).toBeNull();
  });

  test('its DocumentReference describes the Bundle as application/fhir+json', () => {
    const reference = summaryDocumentReference(42);
    expect(reference.content[0].attachment).toEqual({ contentType: 'application/fhir+json', size: 42, title: 'Emergency summary' });
    expect(reference.type.coding[0].code).toBe('60591-5');
  });
});
