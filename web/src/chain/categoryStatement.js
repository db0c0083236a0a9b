// Category statements (docs/format.md, "Category statements"): a version's category is not on
// chain, so whoever states it signs EIP-712 typed data `RecordCategory(address patient,bytes32
// digest,string category)` under the contract's own domain (the one its intents use). Here: the
// typed data, signing it with the session's wallet (eth_signTypedData_v4; the built-in wallet
// signs silently) and recovering who signed a statement a node lists.
import { getAddress, verifyTypedData } from 'ethers';
import { CATEGORIES } from './scopes.js';

export const RECORD_CATEGORY = [
  { name: 'patient', type: 'address' },
  { name: 'digest', type: 'bytes32' },
  { name: 'category', type: 'string' },
];

const DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
];

const isCategory = (name) => CATEGORIES.some((c) => c.name === name);

// The typed data for eth_signTypedData_v4 stating that `category` is the category of the
// ciphertext `digest` of `patient`'s file, on the deployment `{chainId, contract}`.
// REQUIRES: `category` is one of the vocabulary's names (chain/scopes.js).
export function categoryTypedData({ chainId, contract }, { patient, digest, category }) {
  if (!isCategory(category)) throw new Error(`${category} is not a record category`);
  return {
    types: { EIP712Domain: DOMAIN_TYPE, RecordCategory: RECORD_CATEGORY },
    primaryType: 'RecordCategory',
    domain: { name: 'medchain', version: '1', chainId, verifyingContract: getAddress(contract) },
    message: { patient: getAddress(patient), digest: digest.toLowerCase(), category },
  };
}

// The wallet's signature (0x, 65 bytes r ‖ s ‖ v) of the statement. With a browser wallet this
// is a prompt: "RecordCategory" with the patient, the digest and the category.
export function signCategory(wallet, deployment, statement) {
  return wallet.signTypedData(categoryTypedData(deployment, statement));
}

// The address that signed `signature` over the statement, or null when the signature is missing
// or malformed or the category is none of the vocabulary's. Any well-formed signature recovers to
// some address: the caller decides whether that address may state the category
// (categoryStatedBy in chain/verify.js).
export function categorySigner(deployment, statement, signature) {
  if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(signature)) return null;
  try {
    const typed = categoryTypedData(deployment, statement);
    return getAddress(verifyTypedData(typed.domain, { RecordCategory: RECORD_CATEGORY }, typed.message, signature));
  } catch {
    return null;
  }
}
