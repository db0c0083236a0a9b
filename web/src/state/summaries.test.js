import { describe, expect, it } from 'vitest';
import { matchesFilters, openListedSummaries, summaryOfResource } from './summaries.js';
import { newContentKey, sealContentKey, sealSummary, toHex } from '../crypto/index.js';
import { sodium } from '../crypto/sodium.js';

describe('summaryOfResource', () => {
  it('takes an Observation code and effective date', () => {
    const r = { resourceType: 'Observation', code: { coding: [{ code: '2345-7', display: 'Glucose' }] }, effectiveDateTime: '2026-03-14' };
    expect(summaryOfResource(r, null)).toEqual({ title: 'Glucose', date: '2026-03-14', kind: 'Observation' });
  });
  it('takes a file title and media type, and the writer overrides', () => {
    const r = { resourceType: 'DocumentReference', content: [{ attachment: { title: 'xray.png', contentType: 'image/png' } }] };
    expect(summaryOfResource(r, { contentType: 'image/png' })).toEqual({ title: 'xray.png', date: '', kind: 'image/png' });
    expect(summaryOfResource(r, { contentType: 'image/png' }, { title: 'Chest', date: '2026-01-02' }).title).toBe('Chest');
  });
  it('drops a date the format refuses', () => {
    expect(summaryOfResource({ resourceType: 'Condition', code: { text: 'Asthma' }, onsetDateTime: 'spring' }, null).date).toBe('');
  });
});

describe('openListedSummaries', () => {
  it('opens with the inline key and reports one bound to another version', async () => {
    const s = await sodium();
    const pair = s.crypto_box_keypair();
    const keyPair = { publicKey: pair.publicKey, secretKey: pair.privateKey };
    const recordId = `0x${'aa'.repeat(32)}`;
    const digest = `0x${'bb'.repeat(32)}`;
    const key = await newContentKey();
    const summary = { title: 'HbA1c', date: '2026-03-14', kind: 'Observation', authorName: '' };
    const sealedKey = toHex(await sealContentKey(key, { recordId, version: 1, digest }, keyPair.publicKey));
    const sealed = toHex(await sealSummary(summary, key, { recordId, version: 1, digest }));
    const records = [{ recordId, versions: [{ version: 1, digest, sealedKey, summary: sealed }, { version: 2, digest, sealedKey, summary: sealed }] }];
    const opened = await openListedSummaries(records, keyPair);
    expect(opened[`${recordId}/1`]).toEqual({ summary });
    expect(opened[`${recordId}/2`].error).toMatch(/another record or version/);
  });
});

describe('matchesFilters', () => {
  const s = { title: 'HbA1c', date: '2026-03-14T08:00Z', kind: 'Observation', authorName: 'Dr. Alice' };
  it('filters by text, kind and date range', () => {
    expect(matchesFilters(s, { search: 'hba' })).toBe(true);
    expect(matchesFilters(s, { search: 'alice' })).toBe(true);
    expect(matchesFilters(s, { search: 'x-ray' })).toBe(false);
    expect(matchesFilters(s, { kind: 'Condition' })).toBe(false);
    expect(matchesFilters(s, { from: '2026-03-01', to: '2026-03-31' })).toBe(true);
    expect(matchesFilters(s, { from: '2026-04-01' })).toBe(false);
    expect(matchesFilters(null, { search: 'a' })).toBe(false);
    expect(matchesFilters(null, {})).toBe(true);
  });
});
