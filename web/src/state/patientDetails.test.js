import { describe, expect, it } from 'vitest';
import { detailsOf, formatPatient, newestPatientRecord, patientResource } from './patientDetails.js';
import { validateResource } from '../crypto/fhir.js';

const today = new Date('2026-12-04T12:00:00Z');

describe('patient details', () => {
  it('builds a FHIR Patient the record format accepts and reads it back', () => {
    const resource = patientResource({ given: ' Anna  Maria ', family: 'Rossi', birthDate: '1970-03-01' }, today);
    expect(resource).toEqual({
      resourceType: 'Patient',
      name: [{ use: 'official', family: 'Rossi', given: ['Anna', 'Maria'], text: 'Anna Maria Rossi' }],
      birthDate: '1970-03-01',
    });
    expect(() => validateResource(resource)).not.toThrow();
    expect(detailsOf(resource)).toEqual({ given: 'Anna Maria', family: 'Rossi', name: 'Anna Maria Rossi', birthDate: '1970-03-01' });
    expect(formatPatient(detailsOf(resource))).toBe('Anna Maria Rossi (born 1970-03-01)');
  });

  it('refuses what the form must not save', () => {
    expect(() => patientResource({ given: '', family: ' ' }, today)).toThrow('Enter at least a given or a family name.');
    expect(() => patientResource({ family: 'Rossi', birthDate: '2027-01-01' }, today)).toThrow('cannot be in the future');
    expect(() => patientResource({ family: 'Rossi', birthDate: '01/03/1970' }, today)).toThrow('YYYY-MM-DD');
    expect(() => patientResource({ family: 'x'.repeat(101) }, today)).toThrow('at most 100');
  });

  it("reads another client's Patient without text and neutralises control characters", () => {
    expect(detailsOf({ resourceType: 'Patient', name: [{ given: ['Jean'], family: 'Du\u0007pont' }] })).toEqual({
      given: 'Jean', family: 'Du?pont', name: 'Jean Du?pont', birthDate: '',
    });
    expect(detailsOf({ resourceType: 'Observation' })).toBeNull();
    expect(detailsOf({ resourceType: 'Patient' })).toBeNull();
  });

  it('picks the newest record whose newest version is a Patient summary', () => {
    const record = (id, version, blockNumber) => ({ recordId: id, versions: [{ version, blockNumber }] });
    const records = [record('a', 1, 5), record('b', 2, 9), record('c', 1, 12)];
    const summaries = {
      'a/1': { summary: { kind: 'Patient' } },
      'b/2': { summary: { kind: 'Patient' } },
      'c/1': { summary: { kind: 'Observation' } },
    };
    expect(newestPatientRecord(records, summaries).record.recordId).toBe('b');
    expect(newestPatientRecord(records, { 'c/1': summaries['c/1'] })).toBeNull();
    expect(newestPatientRecord(records, { 'a/1': { error: 'no key' } })).toBeNull();
  });
});
