// The account's X25519 encryption key, derived from its EIP-712 signature of a fixed message
// (docs/format.md, "Encryption key"), so a wallet that only signs (MetaMask) can recreate it.
import { getAddress, getBytes, verifyTypedData } from 'ethers';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sodium } from './sodium.js';

export const ENCRYPTION_KEY_PURPOSE =
  'Derive my medchain encryption key. Sign this only in an app you trust with your records.';

const encoder = new TextEncoder();

// The typed data the account signs with eth_signTypedData_v4. No chain id: the key is the same
// on every chain.
export function encryptionKeyTypedData(account) {
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
      ],
      EncryptionKey: [
        { name: 'purpose', type: 'string' },
        { name: 'account', type: 'address' },
      ],
    },
    primaryType: 'EncryptionKey',
    domain: { name: 'medchain', version: '1' },
    message: { purpose: ENCRYPTION_KEY_PURPOSE, account: getAddress(account) },
  };
}

// The key pair from the signature. Throws if the signature was not made by `account` over the
// typed data above (a wallet that signed something else must not silently give a wrong key).
export async function deriveEncryptionKey(account, signature) {
  const typed = encryptionKeyTypedData(account);
  const { EIP712Domain: _domain, ...types } = typed.types;
  const signer = verifyTypedData(typed.domain, types, typed.message, signature);
  if (signer !== getAddress(account)) {
    throw new Error(`the encryption-key signature was made by ${signer}, not ${getAddress(account)}`);
  }
  const rs = getBytes(signature).slice(0, 64);
  const seed = hkdf(sha256, rs, encoder.encode('medchain encryption key'), encoder.encode('x25519 v1'), 32);
  const s = await sodium();
  return { secretKey: seed, publicKey: s.crypto_scalarmult_base(seed) };
}
