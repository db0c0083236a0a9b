import { describe, expect, it } from 'vitest';
import { policyProblem, recoveryStage } from './recoverySteps.js';

describe('recovery of a lost wallet', () => {
  it('sets only a policy the contract accepts, saying why not in words', () => {
    expect(policyProblem({ threshold: 2, delayHours: 48, guardians: 3 })).toBeNull();
    expect(policyProblem({ threshold: 0, delayHours: 48, guardians: 0 })).toBeNull(); // off
    expect(policyProblem({ threshold: 3, delayHours: 48, guardians: 2 })).toMatch(/You have 2 guardians: 3 cannot approve/);
    expect(policyProblem({ threshold: 1.5, delayHours: 48, guardians: 3 })).toMatch(/whole number/);
    expect(policyProblem({ threshold: -1, delayHours: 48, guardians: 3 })).toMatch(/whole number/);
    expect(policyProblem({ threshold: 1, delayHours: 23, guardians: 3 })).toMatch(/from 24 to 720/);
    expect(policyProblem({ threshold: 1, delayHours: 721, guardians: 3 })).toMatch(/from 24 to 720/);
  });

  it('tells the stage of a recovery by the chain clock', () => {
    expect(recoveryStage({ approvals: 0, threshold: 2, readyAt: 0 }, 1000)).toBe('none');
    expect(recoveryStage({ approvals: 1, threshold: 2, readyAt: 0 }, 1000)).toBe('approving');
    expect(recoveryStage({ approvals: 2, threshold: 2, readyAt: 2000 }, 1999)).toBe('waiting');
    expect(recoveryStage({ approvals: 2, threshold: 2, readyAt: 2000 }, 2000)).toBe('ready');
  });
});
