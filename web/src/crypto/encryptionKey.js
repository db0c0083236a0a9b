// The account's X25519 encryption key, derived from its EIP-712 signature of a fixed message
// (docs/format.md, "Encryption key"), so a wallet that only signs (MetaMask) can recreate it.
//
// A derivation says which message: format 2, {format: 2, chainId, contract, generation}, binds
// the key to one deployment (another site or deployment cannot ask for the same signature) and
// to a generation (0 at registration, one more per rotation); format 1, {format: 1}, is how keys
// were derived before, still derived to read data sealed to a key registered that way.
import { TypedDataEncoder, getAddress, getBytes, verifyTypedData } from 'ethers';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sodium } from './sodium.js';
import { t } from '../i18n/index.js';

export const ENCRYPTION_KEY_PURPOSE =
  'Derive my medchain encryption key. Sign this only in an app you trust with your records.';

export const FORMAT_1 = Object.freeze({ format: 1 });

// Format 2 for `deployment` ({chainId, contract}) at `generation`.
export const format2 = ({ chainId, contract }, generation) => ({ format: 2, chainId: Number(chainId), contract: getAddress(contract), generation });

// The generation a rotation moves to: the next one (format 2), 1 from format 1, so the
// generation always counts the patient's rotations.
export const nextGeneration = (derivation) => (derivation.format === 1 ? 1 : derivation.generation + 1);

// How the app names a derivation to its user.
export const describeDerivation = (d) => (d.format === 1 ? t('state.key.format1') : t('state.key.format2', { generation: d.generation }));

const encoder = new TextEncoder();

// The typed data the account signs with eth_signTypedData_v4 for `derivation`.
export function encryptionKeyTypedData(account, derivation) {
  if (derivation.format === 1) {
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
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      EncryptionKey: [
        { name: 'purpose', type: 'string' },
        { name: 'account', type: 'address' },
        { name: 'generation', type: 'uint32' },
      ],
    },
    primaryType: 'EncryptionKey',
    domain: { name: 'medchain', version: '2', chainId: derivation.chainId, verifyingContract: getAddress(derivation.contract) },
    message: { purpose: ENCRYPTION_KEY_PURPOSE, account: getAddress(account), generation: derivation.generation },
  };
}

// The EIP-712 digest the account signs.
export function encryptionKeyDigest(account, derivation) {
  const { domain, types, message } = encryptionKeyTypedData(account, derivation);
  const { EIP712Domain: _domain, ...rest } = types;
  return TypedDataEncoder.hash(domain, rest, message);
}

// The key pair from the signature. Throws if the signature was not made by `account` over the
// typed data of `derivation` (a wallet that signed something else must not silently give a
// wrong key).
export async function deriveEncryptionKey(account, derivation, signature) {
  const typed = encryptionKeyTypedData(account, derivation);
  const { EIP712Domain: _domain, ...types } = typed.types;
  const signer = verifyTypedData(typed.domain, types, typed.message, signature);
  if (signer !== getAddress(account)) {
    throw new Error(`the encryption-key signature was made by ${signer}, not ${getAddress(account)}`);
  }
  const rs = getBytes(signature).slice(0, 64);
  const info = derivation.format === 1 ? 'x25519 v1' : 'x25519 v2';
  const seed = hkdf(sha256, rs, encoder.encode('medchain encryption key'), encoder.encode(info), 32);
  const s = await sodium();
  return { secretKey: seed, publicKey: s.crypto_scalarmult_base(seed) };
}

// Asks `wallet` to sign for `derivation` and derives the key pair.
export async function walletEncryptionKey(wallet, derivation) {
  const signature = await wallet.signTypedData(encryptionKeyTypedData(wallet.address, derivation));
  return deriveEncryptionKey(wallet.address, derivation, signature);
}
