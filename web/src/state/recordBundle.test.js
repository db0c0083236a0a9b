import { describe, expect, test } from 'vitest';
import { CATEGORY_EXTENSION, entryFullUrl, fromBase64, makeBundle, nameBasedUuid, parseBundle, suggestCategory, toBase64 } from './recordBundle.js';
import { allergyIntolerance, fileReference, observation } from '../crypto/fhir.js';

const recordId = `0x${'ab'.repeat(32)}`;
const patient = '0x1111111111111111111111111111111111111111';

describe('the record Bundle (the format of medchain records export | import)', () => {
  test('fullUrls are the CLI\'s name-based UUIDs (version 8, SHA-256 of the name)', () => {
    // Computed independently (Python's hashlib) from "medchain bundle entry <recordId>/1".
    expect(entryFullUrl(recordId, 1)).toBe('urn:uuid:7ad5c811-d717-8c4a-a4e0-4591a3d0c367');
    expect(entryFullUrl(recordId.toUpperCase().replace('0X', '0x'), 1)).toBe(entryFullUrl(recordId, 1));
    expect(nameBasedUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('base64 round-trips bytes of every value and sizes across its pieces; non-base64 is refused', () => {
    for (const size of [0, 1, 2, 3, 24575, 24576, 24577, 100000]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) & 255);
      expect(Buffer.from(fromBase64(toBase64(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
    expect(toBase64(new TextEncoder().encode('hello'))).toBe('aGVsbG8=');
    for (const bad of ['aGVsbG8', 'aGV$bG8=', 'a=Vs', 42]) expect(fromBase64(bad)).toBeNull();
  });

  test('an export parses back into the same records, file bytes and categories', () => {
    const file = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const records = [
      { recordId, version: 2, category: 'lab', resource: observation({ patient, code: 'HbA1c', value: '6.1', unit: '%', date: '2026-01-02', laboratory: true }), attachment: null },
      { recordId: `0x${'cd'.repeat(32)}`, version: 1, category: 'imaging', resource: fileReference({ patient, attachment: { contentType: 'image/png', size: file.length, title: 'x.png' } }), attachment: file },
    ];
    const bundle = makeBundle(records);
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    expect(bundle.entry[0].fullUrl).toBe(entryFullUrl(recordId, 2));
    expect(bundle.entry[1].extension).toEqual([{ url: CATEGORY_EXTENSION, valueCode: 'imaging' }]);
    expect(bundle.entry[1].resource.content[0].attachment.data).toBe(toBase64(file));
    expect(records[1].resource.content[0].attachment.data).toBeUndefined(); // the input is not changed

    const parsed = parseBundle(JSON.stringify(bundle));
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toEqual({ category: 'lab', resource: JSON.parse(JSON.stringify(records[0].resource)), file: null });
    expect(parsed[1].category).toBe('imaging');
    expect(parsed[1].resource).toEqual(JSON.parse(JSON.stringify(records[1].resource)));
    expect(parsed[1].file).toEqual({ bytes: file, contentType: 'image/png', title: 'x.png' });
  });

  test('without the extension the category is the one the resource suggests (as the CLI)', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: allergyIntolerance({ patient, substance: 'Penicillin' }) }] };
    expect(parseBundle(JSON.stringify(bundle))[0].category).toBe('allergy');
    expect(suggestCategory({ resourceType: 'DocumentReference', content: [{ attachment: { contentType: 'application/dicom' } }] })).toBe('imaging');
    expect(suggestCategory({ resourceType: 'Observation', category: [{ coding: [{ code: 'laboratory' }] }] })).toBe('lab');
    expect(suggestCategory({ resourceType: 'Condition' })).toBe('general');
  });

  test('an inline attachment becomes a file record of its bytes, with size, type and title filled in', () => {
    const note = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'text/plain', data: 'aGVsbG8=' } }] };
    const [content] = parseBundle(JSON.stringify({ resourceType: 'Bundle', entry: [{ resource: note }] }));
    expect(content.file.bytes).toEqual(new TextEncoder().encode('hello'));
    expect(content.resource.content[0].attachment).toEqual({ contentType: 'text/plain', size: 5, title: 'attachment' });
    expect(content.category).toBe('clinical-note');
  });

  test('one bad entry refuses the whole Bundle, naming the entry, before anything is written', () => {
    const good = { resource: allergyIntolerance({ patient, substance: 'Latex' }) };
    const cases = [
      [{ resource: { resourceType: 'Observation', code: { text: 'x' } } }, /^Entry 2 of 2: Observation needs status; nothing imported\.$/],
      [{ resource: { resourceType: 'Spaceship' } }, /^Entry 2 of 2: unknown FHIR resourceType "Spaceship"/],
      [{}, /^Entry 2 of 2: no resource/],
      [{ ...good, extension: [{ url: CATEGORY_EXTENSION, valueCode: 'gossip' }] }, /^Entry 2 of 2: an unknown category "gossip"/],
      [{ resource: { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { data: 'no!' } }] } }, /attachment.data is not base64/],
      [{ resource: { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { data: 'aGVsbG8=', size: 6 } }] } }, /attachment.size is not the size of attachment.data/],
    ];
    for (const [bad, message] of cases) {
      expect(() => parseBundle(JSON.stringify({ resourceType: 'Bundle', entry: [good, bad] }))).toThrow(message);
    }
    expect(() => parseBundle('{"resourceType": "Bundle"')).toThrow('The file is not JSON.');
    expect(() => parseBundle('{"resourceType": "Patient"}')).toThrow('The file is not a FHIR Bundle with entries.');
  });
});
