// The restore signs in to each custodian once per run, not once per version, and tries a
// custodian that is down once.
import { describe, expect, it } from 'vitest';
import { custodianSessions } from './recoveryRestore.js';

describe('custodianSessions', () => {
  it('SignsInOncePerCustodianWhateverTheVersionsAsked', async () => {
    const opened = [];
    const sessions = custodianSessions(async (url) => {
      opened.push(url);
      return { url, post: async () => ({}) };
    });
    for (let version = 1; version <= 3; version++) {
      expect((await sessions.get('http://c1')).url).toBe('http://c1');
      expect((await sessions.get('http://c3')).url).toBe('http://c3');
    }
    expect(opened).toEqual(['http://c1', 'http://c3']);
  });

  it('TriesACustodianThatIsDownOnceAndKeepsItsFailure', async () => {
    let tries = 0;
    const sessions = custodianSessions(async () => {
      tries++;
      throw new Error('The node is unreachable');
    });
    await expect(sessions.get('http://c2')).rejects.toThrow('unreachable');
    await expect(sessions.get('http://c2')).rejects.toThrow('unreachable');
    expect(tries).toBe(1);
  });

  it('SignsOutOfEverySessionThatOpenedAndIgnoresTheOthers', async () => {
    const loggedOut = [];
    const sessions = custodianSessions(async (url) => {
      if (url === 'http://down') throw new Error('down');
      return { post: async (path) => loggedOut.push(`${url}${path}`) };
    });
    await sessions.get('http://c1');
    await sessions.get('http://down').catch(() => {});
    await sessions.closeAll();
    expect(loggedOut).toEqual(['http://c1/v1/auth/logout']);
  });
});
