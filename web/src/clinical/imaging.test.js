import { describe, expect, test } from 'vitest';
import { clampFrame, frameDimension, stepWindowLevel, zoomStep } from './imaging.js';

describe('imaging viewer steps', () => {
  test('window/level steps move the centre or the width by a tenth of the width', () => {
    expect(stepWindowLevel({ center: 128, width: 256 }, 'brighter')).toEqual({ center: 102, width: 256 });
    expect(stepWindowLevel({ center: 128, width: 256 }, 'darker')).toEqual({ center: 154, width: 256 });
    expect(stepWindowLevel({ center: 128, width: 256 }, 'more-contrast')).toEqual({ center: 128, width: 204 });
    expect(stepWindowLevel({ center: 128, width: 256 }, 'less-contrast')).toEqual({ center: 128, width: 308 });
    expect(stepWindowLevel({ center: 0, width: 2 }, 'more-contrast').width).toBe(1);
    expect(() => stepWindowLevel({ center: 0, width: 2 }, 'sideways')).toThrow(/unknown/);
  });
  test('zoom in then out returns to the same scale; limits hold', () => {
    const inStep = zoomStep(1, 'in');
    expect(1 * (1 + inStep)).toBeCloseTo(1.25);
    expect(1.25 * (1 + zoomStep(1.25, 'out'))).toBeCloseTo(1);
    expect(16 * (1 + zoomStep(16, 'in'))).toBeCloseTo(16);
    expect(0.25 * (1 + zoomStep(0.25, 'out'))).toBeCloseTo(0.25);
  });
  test('frames: dimension 3 of a multi-frame image, else a scrollable stack, else none', () => {
    expect(frameDimension([64, 64, 1, 3], 2)).toBe(3);
    expect(frameDimension([64, 64, 5], 2)).toBe(2);
    expect(frameDimension([64, 64, 1], 2)).toBeNull();
    expect(clampFrame(0, -1, 3)).toBe(0);
    expect(clampFrame(1, 1, 3)).toBe(2);
    expect(clampFrame(2, 1, 3)).toBe(2);
  });
});
