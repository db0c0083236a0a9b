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

// The typed data of a statement of `primaryType` (its `fields`) saying `message` on the
// deployment `{chainId, contract}`: every statement a client signs (a version's category, a
// doctor's profile) is under this one domain, as in src/medchain/records/category_statement.hpp.
export function statementTypedData({ chainId, contract }, primaryType, fields, message) {
  return {
    types: { EIP712Domain: DOMAIN_TYPE, [primaryType]: fields },
    primaryType,
    domain: { name: 'medchain', version: '1', chainId, verifyingContract: getAddress(contract) },
    message,
  };
}

// Who signed `signature` (0x, 65 bytes) over the statement `typedData()` builds, or null when the
// signature is malformed or the builder refuses the statement's fields.
export function statementSigner(typedData, signature) {
  if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(signature)) return null;
  try {
    const typed = typedData();
    return getAddress(verifyTypedData(typed.domain, { [typed.primaryType]: typed.types[typed.primaryType] }, typed.message, signature));
  } catch {
    return null;
  }
}

// The typed data for eth_signTypedData_v4 stating that `category` is the category of the
// ciphertext `digest` of `patient`'s file, on the deployment `{chainId, contract}`.
// REQUIRES: `category` is one of the vocabulary's names (chain/scopes.js).
export function categoryTypedData({ chainId, contract }, { patient, digest, category }) {
  if (!isCategory(category)) throw new Error(`${category} is not a record category`);
  return statementTypedData({ chainId, contract }, 'RecordCategory', RECORD_CATEGORY, {
    patient: getAddress(patient),
    digest: digest.toLowerCase(),
    category,
  });
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
  return statementSigner(() => categoryTypedData(deployment, statement), signature);
}
