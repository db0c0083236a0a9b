import { describe, expect, test } from 'vitest';
import { TOAST_LIMIT, expires, withToast } from './toasts.js';

describe('the toast stack', () => {
  test('keeps the newest first and at most TOAST_LIMIT', () => {
    let list = [];
    for (let i = 1; i <= TOAST_LIMIT + 2; i++) list = withToast(list, { id: i });
    expect(list.map((t) => t.id)).toEqual([6, 5, 4, 3]);
  });

  test('only non-critical toasts expire by themselves', () => {
    expect(expires('info')).toBe(true);
    expect(expires('success')).toBe(true);
    expect(expires('danger')).toBe(false);
    expect(expires('warning')).toBe(false);
  });
});
