import { describe, expect, it, vi } from 'vitest';
import { describeInboxItem, fetchInbox, markInboxRead } from './inbox.js';

const short = (a) => a.slice(0, 6);

describe('inbox', () => {
  it('describes every kind the node sends in one sentence', () => {
    const base = { patient: '0xPatient', doctor: '0xDoctor', at: 1, read: false };
    expect(describeInboxItem({ ...base, kind: 'access_requested', scope: ['lab'] }, short)).toBe(
      '0xDoct asked for access to lab');
    expect(describeInboxItem({ ...base, kind: 'request_denied' }, short)).toBe('0xPati denied your request');
    expect(describeInboxItem({ ...base, kind: 'access_revoked' }, short)).toBe('0xPati revoked your access');
    expect(describeInboxItem({ ...base, kind: 'access_denied', action: 'blob.read' }, short)).toBe(
      '0xDoct was refused blob.read');
    expect(describeInboxItem({ ...base, kind: 'escrow_released', action: 'escrow.release' }, short)).toBe(
      'An escrow custodian released its share of a record key to 0xDoct (emergency access, or your account\'s recovery)');
    expect(describeInboxItem({ ...base, kind: 'recovery_proposed' }, short)).toBe(
      'A guardian proposed 0xDoct to take over the account of 0xPati. If you did not lose your wallet, cancel the recovery now');
    expect(describeInboxItem({ ...base, kind: 'recovery_ready', until: 2 }, short)).toMatch(/^The recovery of 0xPati to 0xDoct has its approvals/);
    expect(describeInboxItem({ ...base, kind: 'recovery_cancelled' }, short)).toBe('A recovery of 0xPati was cancelled by 0xDoct');
    expect(describeInboxItem({ ...base, kind: 'recovery_executed' }, short)).toBe(
      '0xDoct now acts for 0xPati after a recovery; the old key no longer does');
    for (const kind of ['emergency_opened', 'access_granted', 'grant_expiring']) {
      expect(describeInboxItem({ ...base, kind, scope: ['lab'], until: 2 }, short)).toMatch(/0x/);
    }
    expect(describeInboxItem({ ...base, kind: 'something_new' })).toBe('something_new');
  });

  it('asks the node for the list and marks ids or everything read', async () => {
    const api = { get: vi.fn(async () => ({ items: [], unread: 0 })), post: vi.fn(async () => ({ unread: 0 })) };
    await fetchInbox(api, { limit: 10 });
    expect(api.get).toHaveBeenCalledWith('/v1/inbox?limit=10');
    await markInboxRead(api, ['chain:1:0']);
    expect(api.post).toHaveBeenLastCalledWith('/v1/inbox/read', { ids: ['chain:1:0'] });
    await markInboxRead(api, 'all');
    expect(api.post).toHaveBeenLastCalledWith('/v1/inbox/read', { all: true });
  });
});
