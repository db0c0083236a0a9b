// Category statements (docs/format.md): the test vector the section ends with (the C++ side checks
// the same one, its signature made by cast), derived twice here (ethers' EIP-712 encoder and the
// EIP-712 formula spelled out with keccak256), and who a signature recovers to.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { AbiCoder, TypedDataEncoder, Wallet, concat, keccak256, toUtf8Bytes } from 'ethers';
import { INTENTS } from './intents.js';
import { RECORD_CATEGORY, categorySigner, categoryTypedData, signCategory } from './categoryStatement.js';

// docs/format.md, "Category statements", test vector.
const VECTOR = {
  privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  chainId: 31337,
  verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  patient: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  digest: '0x0101010101010101010101010101010101010101010101010101010101010101',
  category: 'lab',
  signingHash: '0x8dd04921e0f3abc68bd99c20df55cbdb648bd1d060af68e1d25c9d51c4f1eb09',
  signature: '0x269ae26fef0d0ca183f1c91030abf1698ea5f1e3a732efdbb69b12210d05cf5561c33304a77df73374fd9b0afb514375b5ae11e45b8176ee1cb8060ff98b2dff1b',
};
const deployment = { chainId: VECTOR.chainId, contract: VECTOR.verifyingContract };
const statement = { patient: VECTOR.patient, digest: VECTOR.digest, category: VECTOR.category };

// What a wallet does with the typed data: sign it (the built-in wallet's way, src/wallet/builtin.js).
const walletOf = (key) => {
  const wallet = new Wallet(key);
  return {
    address: wallet.address,
    signTypedData: ({ types: { EIP712Domain: _domain, ...types }, domain, message }) => wallet.signTypedData(domain, types, message),
  };
};

describe('the category statement test vector', () => {
  it('has the signing hash of the EIP-712 formula', () => {
    const abi = AbiCoder.defaultAbiCoder();
    const word = (type, value) => abi.encode([type], [value]);
    const domainType = keccak256(toUtf8Bytes('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
    const domainSeparator = keccak256(concat([domainType, keccak256(toUtf8Bytes('medchain')), keccak256(toUtf8Bytes('1')), word('uint256', VECTOR.chainId), word('address', VECTOR.verifyingContract)]));
    const statementType = keccak256(toUtf8Bytes('RecordCategory(address patient,bytes32 digest,string category)'));
    const structHash = keccak256(concat([statementType, word('address', VECTOR.patient), VECTOR.digest, keccak256(toUtf8Bytes(VECTOR.category))]));
    expect(keccak256(concat(['0x1901', domainSeparator, structHash]))).toBe(VECTOR.signingHash);

    const typed = categoryTypedData(deployment, statement);
    expect(TypedDataEncoder.hash(typed.domain, { RecordCategory: RECORD_CATEGORY }, typed.message)).toBe(VECTOR.signingHash);
  });

  it("is signed by the account's key as the vector says, and recovers to it", async () => {
    const wallet = walletOf(VECTOR.privateKey);
    expect(wallet.address).toBe(VECTOR.patient);
    expect(await signCategory(wallet, deployment, statement)).toBe(VECTOR.signature);
    expect(categorySigner(deployment, statement, VECTOR.signature)).toBe(VECTOR.patient);
  });

  it('is the vector docs/format.md publishes for the C++ side', () => {
    const section = readFileSync(new URL('../../../docs/format.md', import.meta.url), 'utf8').split('## Category statements')[1].split('\n## ')[0];
    for (const value of [VECTOR.verifyingContract, VECTOR.patient, VECTOR.digest, VECTOR.signingHash, VECTOR.signature]) expect(section).toContain(value);
  });
});

describe('who a statement recovers to', () => {
  it('is someone else for another category, digest, patient or deployment: a relabelling is not the signer', () => {
    const other = (change) => categorySigner(change.deployment ?? deployment, { ...statement, ...change.statement }, VECTOR.signature);
    expect(other({ statement: { category: 'general' } })).not.toBe(VECTOR.patient);
    expect(other({ statement: { digest: `0x${'00'.repeat(32)}` } })).not.toBe(VECTOR.patient);
    expect(other({ statement: { patient: Wallet.createRandom().address } })).not.toBe(VECTOR.patient);
    expect(other({ deployment: { ...deployment, chainId: 1 } })).not.toBe(VECTOR.patient);
    expect(other({ deployment: { ...deployment, contract: Wallet.createRandom().address } })).not.toBe(VECTOR.patient);
  });

  it('is nobody for a missing or malformed signature, or a category outside the vocabulary', () => {
    expect(categorySigner(deployment, statement, null)).toBeNull();
    expect(categorySigner(deployment, statement, '0x1234')).toBeNull();
    expect(categorySigner(deployment, statement, `${VECTOR.signature.slice(0, -2)}05`)).toBeNull();
    expect(categorySigner(deployment, { ...statement, category: 'secret' }, VECTOR.signature)).toBeNull();
    expect(() => categoryTypedData(deployment, { ...statement, category: 'secret' })).toThrow(/not a record category/);
  });

  it('is under the intents\' domain but of a type no intent has, so a statement is never an intent', () => {
    const typed = categoryTypedData(deployment, statement);
    expect(typed.primaryType).toBe('RecordCategory');
    expect(typed.domain).toEqual({ name: 'medchain', version: '1', chainId: 31337, verifyingContract: VECTOR.verifyingContract });
    expect(Object.values(INTENTS).map((intent) => intent.name)).not.toContain('RecordCategory');
  });
});
