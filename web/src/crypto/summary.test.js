// Record summaries against the C++ reference's vectors (tests/data/format_vectors.json,
// "summaries" and "summaryRejects") and their refusals.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeSummary, encodeSummary, openSummary, sealSummary, summaryKey } from './summary.js';
import { fromHex, toHex } from './bytes.js';
import { newContentKey } from './envelope.js';

const vectors = JSON.parse(readFileSync(new URL('../../../tests/data/format_vectors.json', import.meta.url), 'utf8'));
const bindingOf = (v) => ({ recordId: v.recordId, version: v.version, digest: v.digest });
const expectedOf = (v) => ({ title: v.summary.title, date: v.summary.date ?? '', kind: v.summary.kind, authorName: v.summary.authorName ?? '' });

describe('record summary vectors', () => {
  it('has the vectors', () => {
    expect(vectors.summaries.length).toBeGreaterThanOrEqual(3);
    expect(vectors.summaryRejects.length).toBeGreaterThanOrEqual(10);
  });
  for (const v of vectors.summaries) {
    it(`${v.name}: reseals byte for byte and opens`, async () => {
      const key = fromHex(v.contentKey);
      expect(toHex(await summaryKey(key))).toBe(v.summaryKey);
      expect(new TextDecoder().decode(encodeSummary(expectedOf(v)))).toBe(v.plaintext);
      expect(toHex(await sealSummary(expectedOf(v), key, bindingOf(v), fromHex(v.nonce)))).toBe(v.sealed);
      expect(await openSummary(fromHex(v.sealed), key, bindingOf(v))).toEqual(expectedOf(v));
      await expect(openSummary(fromHex(v.sealed), key, { ...bindingOf(v), version: v.version + 1 })).rejects.toThrow(/does not open/);
    });
  }
  for (const r of vectors.summaryRejects) {
    it(`refuses ${r.name}`, () => {
      expect(() => decodeSummary(new TextEncoder().encode(r.plaintext))).toThrow();
    });
  }
});

describe('record summaries', () => {
  const binding = { recordId: `0x${'11'.repeat(32)}`, version: 2, digest: `0x${'22'.repeat(32)}` };
  const summary = { title: 'HbA1c', date: '2026-03-14', kind: 'Observation', authorName: 'Dr. Alice Example' };

  it('round-trips with a random nonce, differently each time', async () => {
    const key = await newContentKey();
    const a = await sealSummary(summary, key, binding);
    const b = await sealSummary(summary, key, binding);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(await openSummary(a, key, binding)).toEqual(summary);
  });

  it('refuses another record, digest, key, or an altered byte', async () => {
    const key = await newContentKey();
    const sealed = await sealSummary(summary, key, binding);
    await expect(openSummary(sealed, key, { ...binding, recordId: `0x${'33'.repeat(32)}` })).rejects.toThrow(/does not open/);
    await expect(openSummary(sealed, key, { ...binding, digest: `0x${'33'.repeat(32)}` })).rejects.toThrow(/does not open/);
    await expect(openSummary(sealed, await newContentKey(), binding)).rejects.toThrow(/does not open/);
    const altered = sealed.slice();
    altered[40] ^= 1;
    await expect(openSummary(altered, key, binding)).rejects.toThrow(/does not open/);
    await expect(openSummary(sealed.slice(0, 20), key, binding)).rejects.toThrow(/bytes/);
  });

  it('refuses invalid members when sealing', async () => {
    const key = await newContentKey();
    await expect(sealSummary({ ...summary, title: '' }, key, binding)).rejects.toThrow(/title/);
    await expect(sealSummary({ ...summary, date: '14.03.2026' }, key, binding)).rejects.toThrow(/date/);
    await expect(sealSummary({ ...summary, kind: 'a kind' }, key, binding)).rejects.toThrow(/kind/);
    await expect(sealSummary({ ...summary, title: 'ü'.repeat(200) }, key, binding)).resolves.toBeInstanceOf(Uint8Array);
  });
});
