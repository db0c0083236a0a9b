import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { licenseHash } from './license.js';

const vectors = JSON.parse(readFileSync(new URL('../../../tests/data/format_vectors.json', import.meta.url)));
const license = vectors.saltedTexts.find((v) => v.name === 'license');

describe('the licence hash a registrar verifies with', () => {
  it('is keccak256(salt ‖ licence), as the CLI computes it', () => {
    expect(licenseHash(license.text, license.salt, '')).toBe(license.hash);
  });
  it('takes the hash the doctor sent as it is', () => {
    expect(licenseHash('', '', license.hash)).toBe(license.hash);
  });
  it('is nothing without the salt: the bare licence never goes on chain', () => {
    expect(licenseHash(license.text, '', '')).toBeNull();
    expect(licenseHash(license.text, '0x1234', '')).toBeNull();
  });
});
