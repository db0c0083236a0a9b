import { describe, expect, test } from 'vitest';
import { isDevChain, parseDevAccounts } from './devAccounts.js';

const key = `0x${'11'.repeat(32)}`;

describe('the demo accounts of medchain dev', () => {
  test('are offered on anvil and ganache chains only', () => {
    expect(isDevChain(31337)).toBe(true);
    expect(isDevChain('1337')).toBe(true);
    expect(isDevChain(1)).toBe(false);
    expect(isDevChain(2025)).toBe(false);
  });

  test('are read from the file medchain dev writes', () => {
    const text = JSON.stringify({ warning: 'DEVELOPMENT ONLY', accounts: [{ label: 'patient 1', address: '0xabc', privateKey: key, encryptionKey: '0x00' }] });
    expect(parseDevAccounts(text)).toEqual([{ label: 'patient 1', address: '0xabc', privateKey: key }]);
  });

  test('refuse any other file with a sentence', () => {
    for (const text of ['not json', '{"accounts": 3}', '{"accounts": []}', JSON.stringify({ accounts: [{ label: 'x', privateKey: '0x12' }] })]) {
      expect(() => parseDevAccounts(text)).toThrow('That is not the dev-accounts.json that medchain dev writes.');
    }
  });
});
