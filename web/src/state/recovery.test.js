import { describe, expect, it } from 'vitest';
import { confirmedControlled } from './recovery.js';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const C = '0x3333333333333333333333333333333333333333';

// A chain reader whose controllerOf answers from `controllers` (the patient itself otherwise).
const chainWith = (controllers) => ({ controllerOf: async (patient) => controllers[patient] ?? patient });

describe('a recovered patient', () => {
  it('is acted for only where the chain confirms the controller', async () => {
    const chain = chainWith({ [A]: B, [C]: C });
    // The node lists A and C; the chain moved only A to B.
    expect(await confirmedControlled(chain, [A, C], B)).toEqual([A]);
    expect(await confirmedControlled(chain, [A.toUpperCase().replace('0X', '0x')], B)).toEqual([A]);
  });

  it('is never taken on the node\'s word alone', async () => {
    expect(await confirmedControlled(null, [A], B)).toEqual([]);
    expect(await confirmedControlled(chainWith({}), [], B)).toEqual([]);
    expect(await confirmedControlled(chainWith({ [A]: C }), [A], B)).toEqual([]);
  });
});
