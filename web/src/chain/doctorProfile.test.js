// Doctor profiles (docs/format.md): the test vector the section ends with (the C++ side checks
// the same one), derived twice (ethers' EIP-712 encoder and the formula written out with
// keccak256), and what checkedProfile refuses: a node-forged profile, one moved to another
// doctor, one for another deployment.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { AbiCoder, TypedDataEncoder, Wallet, concat, keccak256, toUtf8Bytes } from 'ethers';
import { DOCTOR_PROFILE, checkedProfile, profileFieldsProblem, profileSigner, profileTypedData, signProfile } from './doctorProfile.js';

// docs/format.md, "Doctor profiles", test vector.
const VECTOR = {
  privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  registrar: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  chainId: 31337,
  verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  doctor: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  name: 'Dr. Alice Moreau',
  specialty: 'Cardiology',
  institution: 'Hôpital Saint-Louis',
  issuedAt: 1767225600,
  signingHash: '0x42ae9f6e3019939747c7496020f8a8e5a1acbabec5b04224b6bc9ee8ead35764',
  signature: '0x2aa5f13a99f0a7421cda813ee5781410739add120782b9524692cea1e5e050fa7ed4910d78bd1da03451e6e3d9007c2f1db95f6716efbabb0df8cbdd2f553a761c',
};
const deployment = { chainId: VECTOR.chainId, contract: VECTOR.verifyingContract };
const profile = { doctor: VECTOR.doctor, name: VECTOR.name, specialty: VECTOR.specialty, institution: VECTOR.institution, issuedAt: VECTOR.issuedAt };

const walletOf = (key) => {
  const wallet = new Wallet(key);
  return {
    address: wallet.address,
    signTypedData: ({ types: { EIP712Domain: _domain, ...types }, domain, message }) => wallet.signTypedData(domain, types, message),
  };
};

// A chain that names `registrars` registrars, on the vector's deployment.
const chainOf = (registrars, dep = deployment) => ({
  deployment: async () => dep,
  isRegistrar: async (address) => registrars.includes(address),
});

describe('the doctor profile test vector', () => {
  it('has the signing hash of the EIP-712 formula', () => {
    const abi = AbiCoder.defaultAbiCoder();
    const word = (type, value) => abi.encode([type], [value]);
    const text = (value) => keccak256(toUtf8Bytes(value));
    const domainType = text('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)');
    const domainSeparator = keccak256(concat([domainType, text('medchain'), text('1'), word('uint256', VECTOR.chainId), word('address', VECTOR.verifyingContract)]));
    const profileType = text('DoctorProfile(address doctor,string name,string specialty,string institution,uint64 issuedAt)');
    const structHash = keccak256(concat([profileType, word('address', VECTOR.doctor), text(VECTOR.name), text(VECTOR.specialty), text(VECTOR.institution), word('uint64', VECTOR.issuedAt)]));
    expect(keccak256(concat(['0x1901', domainSeparator, structHash]))).toBe(VECTOR.signingHash);
    const typed = profileTypedData(deployment, profile);
    expect(TypedDataEncoder.hash(typed.domain, { DoctorProfile: DOCTOR_PROFILE }, typed.message)).toBe(VECTOR.signingHash);
  });

  it("is the registrar's signature, and recovers to the registrar", async () => {
    const wallet = walletOf(VECTOR.privateKey);
    expect(wallet.address).toBe(VECTOR.registrar);
    expect(await signProfile(wallet, deployment, profile)).toBe(VECTOR.signature);
    expect(profileSigner(deployment, profile, VECTOR.signature)).toBe(VECTOR.registrar);
  });

  it('is the vector docs/format.md publishes for the C++ side', () => {
    const section = readFileSync(new URL('../../../docs/format.md', import.meta.url), 'utf8').split('## Doctor profiles')[1].split('\n## ')[0];
    for (const value of [VECTOR.verifyingContract, VECTOR.doctor, VECTOR.name, VECTOR.institution, VECTOR.signingHash, VECTOR.signature, String(VECTOR.issuedAt)]) expect(section).toContain(value);
  });
});

describe('checkedProfile', () => {
  const served = { ...profile, signature: VECTOR.signature };

  it("shows the registrar's profile of the doctor", async () => {
    expect(await checkedProfile(chainOf([VECTOR.registrar]), VECTOR.doctor, served)).toEqual({ name: VECTOR.name, specialty: VECTOR.specialty, institution: VECTOR.institution, issuedAt: VECTOR.issuedAt });
    expect(await checkedProfile(chainOf([VECTOR.registrar]), VECTOR.doctor, null)).toBeNull();
  });

  it('refuses a profile the node forged with its own key', async () => {
    const node = walletOf(Wallet.createRandom().privateKey);
    const forged = { ...profile, name: 'Dr. Mallory', signature: await signProfile(node, deployment, { ...profile, name: 'Dr. Mallory' }) };
    expect((await checkedProfile(chainOf([VECTOR.registrar]), VECTOR.doctor, forged)).refused).toMatch(/not signed by a registrar/);
  });

  it('refuses the registrar profile of another doctor, an edited one, and one for another deployment', async () => {
    const chain = chainOf([VECTOR.registrar]);
    expect((await checkedProfile(chain, VECTOR.registrar, served)).refused).toBeTruthy();
    expect((await checkedProfile(chain, VECTOR.doctor, { ...served, specialty: 'Surgery' })).refused).toBeTruthy();
    expect((await checkedProfile(chainOf([VECTOR.registrar], { ...deployment, chainId: 1 }), VECTOR.doctor, served)).refused).toBeTruthy();
    expect((await checkedProfile(chain, VECTOR.doctor, { ...served, signature: '0x12' })).refused).toBe('the profile is not signed');
    expect((await checkedProfile(chain, VECTOR.doctor, { ...served, name: 'Dr.\nX' })).refused).toBe('the profile is not signed');
  });

  it('checks the fields as the node does', () => {
    expect(profileFieldsProblem({ name: '', specialty: '', institution: '' })).toBe('name is empty');
    expect(profileFieldsProblem({ name: 'é'.repeat(65), specialty: '', institution: '' })).toMatch(/longer than 128 bytes/);
    expect(profileFieldsProblem({ name: 'a'.repeat(128), specialty: '', institution: '' })).toBe('');
  });
});
