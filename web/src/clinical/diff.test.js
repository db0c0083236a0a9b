import { describe, expect, test } from 'vitest';
import { diffResources, diffValueText } from './diff.js';

const v1 = {
  resourceType: 'Observation',
  status: 'preliminary',
  code: { text: 'HbA1c' },
  valueQuantity: { value: 6.1, unit: '%' },
  referenceRange: [{ low: { value: 4, unit: '%' }, high: { value: 5.6, unit: '%' } }],
  note: [{ text: 'fasting' }],
};

describe('the changes between two versions', () => {
  test('changed, added and removed values with readable paths, in document order', () => {
    const v2 = structuredClone(v1);
    v2.status = 'final';
    v2.valueQuantity.value = 6.4;
    v2.interpretation = [{ coding: [{ code: 'H' }] }];
    delete v2.note;
    expect(diffResources(v1, v2).map(({ label, kind, before, after }) => [label, kind, before, after])).toEqual([
      ['Status', 'changed', 'preliminary', 'final'],
      ['Value quantity › value', 'changed', 6.1, 6.4],
      ['Note › text', 'removed', 'fasting', undefined],
      ['Interpretation › coding › code', 'added', undefined, 'H'],
    ]);
  });
  test('array positions are named where there is more than one item', () => {
    const v2 = structuredClone(v1);
    v2.referenceRange.push({ text: 'for children', appliesTo: [{ text: 'children' }] });
    const changes = diffResources(v1, v2);
    expect(changes.map((c) => c.label)).toEqual(['Reference range 2 › text', 'Reference range 2 › applies to › text']);
    expect(changes[0].path).toBe('referenceRange[1].text');
  });
  test('identical versions have no changes; a type change shows as a change', () => {
    expect(diffResources(v1, structuredClone(v1))).toEqual([]);
    expect(diffResources({ a: '1' }, { a: 1 })).toMatchObject([{ kind: 'changed', before: '1', after: 1 }]);
    expect(diffResources(undefined, { status: 'final' })).toMatchObject([{ label: 'Status', kind: 'added' }]);
  });
  test('long values (attachment data) are shortened for display', () => {
    expect(diffValueText('x'.repeat(500), 20)).toBe(`${'x'.repeat(19)}… (500 characters)`);
    expect(diffValueText(false)).toBe('false');
    expect(diffValueText(undefined)).toBe('');
  });
});
