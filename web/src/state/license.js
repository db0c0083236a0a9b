// The licence hash a registrar puts on chain (docs/format.md, "Reasons and licences"):
// keccak256(salt ‖ licence) with the salt the doctor drew (`medchain register doctor` prints both),
// or that hash as the doctor sent it. null while neither is complete.
import { isHexString } from 'ethers';
import { fromHex } from '../crypto/bytes.js';
import { saltedHash } from '../crypto/saltedText.js';

export function licenseHash(license, salt, hash) {
  if (isHexString(hash.trim(), 32)) return hash.trim();
  if (license.trim() && isHexString(salt.trim(), 32)) return saltedHash({ salt: fromHex(salt.trim()), text: license.trim() });
  return null;
}
