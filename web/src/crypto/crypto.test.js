import { describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { encryptionKeyTypedData, deriveEncryptionKey, FORMAT_1, format2, nextGeneration } from './encryptionKey.js';
import { ciphertextSize, decryptEnvelope, encryptEnvelope, newContentKey, Decryptor, CIPHERTEXT_CHUNK_SIZE } from './envelope.js';
import { decodeDocument, encodeDocument, makeManifest } from './document.js';
import { openContentKey, sealContentKey } from './sealedKey.js';
import { digestHex, newDigest } from './digest.js';
import { fromHex, toHex } from './bytes.js';
import { observation, fileReference, validateResource } from './fhir.js';
import { sodium } from './sodium.js';

// docs/format.md, "Encryption key": the test vector shared with the C++ reference.
const VECTOR = {
  key: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  account: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  signature: '0xef19e447d971dd827656617eda5667585a4b9ff5dc8d3c4c7905fce3c757b886189e04de9111abe3dc98dc5d89ecc72bb762290f2a3af97ff3c624cdd6f073ab1b',
  publicKey: '0x8337d0b65ee06bdf968a44291178ae5ff5563e5ce12fda371091ca0bbf13a563',
};

async function signEncryptionKey(wallet, derivation = FORMAT_1) {
  const { domain, types, message } = encryptionKeyTypedData(wallet.address, derivation);
  const { EIP712Domain: _d, ...rest } = types;
  return wallet.signTypedData(domain, rest, message);
}

function pattern(size) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

describe('encryption key (docs/format.md format 1 vector)', () => {
  it('signs the documented typed data to the documented signature', async () => {
    const wallet = new Wallet(VECTOR.key);
    expect(wallet.address).toBe(VECTOR.account);
    expect(await signEncryptionKey(wallet)).toBe(VECTOR.signature);
  });

  it('derives the documented X25519 public key', async () => {
    const pair = await deriveEncryptionKey(VECTOR.account, FORMAT_1, VECTOR.signature);
    expect(toHex(pair.publicKey)).toBe(VECTOR.publicKey);
    expect(pair.secretKey).toHaveLength(32);
  });

  it('refuses a signature by another account', async () => {
    const other = Wallet.createRandom();
    await expect(deriveEncryptionKey(VECTOR.account, FORMAT_1, await signEncryptionKey(other))).rejects.toThrow(/not 0xf39F/);
  });
});

describe('encryption key format 2', () => {
  const deployment = { chainId: 31337, contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
  const wallet = new Wallet(VECTOR.key);
  const keyOf = async (derivation) => toHex((await deriveEncryptionKey(wallet.address, derivation, await signEncryptionKey(wallet, derivation))).publicKey);

  it('is bound to the chain, the contract and the generation', async () => {
    const bound = await keyOf(format2(deployment, 0));
    expect(await keyOf(format2({ ...deployment, chainId: 1 }, 0))).not.toBe(bound);
    expect(await keyOf(format2({ ...deployment, contract: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' }, 0))).not.toBe(bound);
    expect(await keyOf(format2(deployment, 1))).not.toBe(bound);
    expect(await keyOf(FORMAT_1)).not.toBe(bound);
  });

  it('refuses a signature made for another generation', async () => {
    const signature = await signEncryptionKey(wallet, format2(deployment, 1));
    await expect(deriveEncryptionKey(wallet.address, format2(deployment, 0), signature)).rejects.toThrow(/not 0xf39F/);
  });

  it('counts rotations in the generation', () => {
    expect(nextGeneration(FORMAT_1)).toBe(1);
    expect(nextGeneration(format2(deployment, 4))).toBe(5);
  });
});

describe('record envelope', () => {
  for (const size of [0, 1, 65535, 65536, 65537, 200000]) {
    it(`round-trips ${size} bytes with the documented ciphertext size`, async () => {
      const key = await newContentKey();
      const plaintext = pattern(size);
      const ciphertext = await encryptEnvelope(key, plaintext);
      expect(ciphertext.length).toBe(ciphertextSize(size));
      expect(toHex(ciphertext.subarray(0, 4))).toBe('0x4d435231');
      expect(await decryptEnvelope(key, ciphertext)).toEqual(plaintext);
    });
  }

  it('decrypts input split at any boundaries', async () => {
    const key = await newContentKey();
    const plaintext = pattern(140000);
    const ciphertext = await encryptEnvelope(key, plaintext);
    const parts = [];
    const decryptor = await Decryptor.create(key, (b) => parts.push(b));
    for (let at = 0; at < ciphertext.length; at += 1000) decryptor.update(ciphertext.subarray(at, at + 1000));
    decryptor.finish();
    expect(new Uint8Array(parts.flatMap((p) => [...p]))).toEqual(plaintext);
  });

  it('fails on a wrong key, a flipped bit, a wrong magic, truncation and trailing bytes', async () => {
    const key = await newContentKey();
    const ciphertext = await encryptEnvelope(key, pattern(70000));
    await expect(decryptEnvelope(await newContentKey(), ciphertext)).rejects.toThrow(/does not decrypt/);
    const flipped = ciphertext.slice();
    flipped[100] ^= 1;
    await expect(decryptEnvelope(key, flipped)).rejects.toThrow(/does not decrypt/);
    const magic = ciphertext.slice();
    magic[0] = 0;
    await expect(decryptEnvelope(key, magic)).rejects.toThrow(/magic/);
    // Dropping the final chunk leaves a stream that authenticates but never ends.
    await expect(decryptEnvelope(key, ciphertext.slice(0, 28 + CIPHERTEXT_CHUNK_SIZE))).rejects.toThrow(/truncated/);
    await expect(decryptEnvelope(key, ciphertext.slice(0, ciphertext.length - 1))).rejects.toThrow();
    const extra = new Uint8Array(ciphertext.length + 17);
    extra.set(ciphertext);
    await expect(decryptEnvelope(key, extra)).rejects.toThrow(/after its final chunk|does not decrypt/);
  });
});

describe('record document', () => {
  it('round-trips a structured record', () => {
    const resource = observation({ patient: '0xabc', code: 'HbA1c', value: '6.1', unit: '%', date: '2026-01-01', laboratory: true });
    const bytes = encodeDocument(makeManifest(resource));
    const length = new DataView(bytes.buffer).getUint32(0, false);
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))).medchain).toBe('record/1');
    const decoded = decodeDocument(bytes);
    expect(decoded.manifest.resource).toEqual(resource);
    expect(decoded.manifest.attachment).toBeNull();
    expect(decoded.attachment).toHaveLength(0);
  });

  it("an observation's form carries a reference range when one end is given, none otherwise", () => {
    const both = observation({ patient: '0xabc', code: 'HbA1c', value: '6.1', unit: '%', date: '2026-01-01', laboratory: true, low: '4', high: '5.6' });
    expect(both.referenceRange).toEqual([{ low: { value: 4, unit: '%' }, high: { value: 5.6, unit: '%' } }]);
    const highOnly = observation({ patient: '0xabc', code: 'LDL', value: '3.1', unit: '', date: '2026-01-01', low: ' ', high: '3' });
    expect(highOnly.referenceRange).toEqual([{ high: { value: 3 } }]);
    expect(observation({ patient: '0xabc', code: 'HbA1c', value: '6.1', unit: '%', date: '2026-01-01' }).referenceRange).toBeUndefined();
    expect(() => validateResource(both)).not.toThrow();
  });

  it('round-trips a file record whose DocumentReference describes the file', () => {
    const file = pattern(1000);
    const attachment = { contentType: 'image/png', size: file.length, title: 'xray.png' };
    const manifest = makeManifest(fileReference({ attachment }), attachment);
    const decoded = decodeDocument(encodeDocument(manifest, file));
    expect(decoded.manifest.attachment).toEqual(attachment);
    expect(decoded.attachment).toEqual(file);
  });

  it('refuses what the format forbids', () => {
    expect(() => validateResource({ resourceType: 'Practitioner' })).toThrow(/unknown FHIR resourceType/);
    // The fourteen types of src/medchain/records/fhir.cpp, a patient's own details among them.
    expect(() => validateResource({ resourceType: 'Patient' })).not.toThrow();
    expect(() => validateResource({ resourceType: 'Encounter', status: 'finished' })).toThrow(/needs class/);
    expect(() => validateResource({ resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: {} })).not.toThrow();
    expect(() => validateResource({ resourceType: 'Observation', status: 'final' })).toThrow(/needs code/);
    expect(() => validateResource({ resourceType: 'Observation', status: 'done', code: {} })).toThrow(/status/);
    const attachment = { contentType: 'image/png', size: 10, title: 'a.png' };
    expect(() => makeManifest(fileReference({ attachment: { ...attachment, size: 11 } }), attachment)).toThrow(/does not describe/);
    const bytes = encodeDocument(makeManifest(fileReference({ attachment }), attachment), pattern(10));
    expect(() => decodeDocument(bytes.slice(0, bytes.length - 1))).toThrow(/announces 10/);
    expect(() => decodeDocument(new Uint8Array([0, 0, 0, 0]))).toThrow(/manifest length/);
  });
});

describe('sealed keys and digest', () => {
  const version = { recordId: `0x${'11'.repeat(32)}`, version: 2, digest: `0x${'22'.repeat(32)}` };

  it('seals a content key with its version to a derived key pair, 152 bytes, and opens it only with that pair', async () => {
    const wallet = Wallet.createRandom();
    const pair = await deriveEncryptionKey(wallet.address, FORMAT_1, await signEncryptionKey(wallet));
    const key = await newContentKey();
    const sealed = await sealContentKey(key, version, pair.publicKey);
    expect(sealed).toHaveLength(152);
    expect(await openContentKey(sealed, version, pair)).toEqual(key);
    const s = await sodium();
    const stranger = s.crypto_box_keypair();
    await expect(openContentKey(sealed, version, { publicKey: stranger.publicKey, secretKey: stranger.privateKey })).rejects.toThrow(/cannot open/);
  });

  it('refuses a key sealed for another record, version or ciphertext', async () => {
    const s = await sodium();
    const raw = s.crypto_box_keypair();
    const pair = { publicKey: raw.publicKey, secretKey: raw.privateKey };
    const sealed = await sealContentKey(await newContentKey(), version, pair.publicKey);
    await expect(openContentKey(sealed, { ...version, recordId: `0x${'33'.repeat(32)}` }, pair)).rejects.toThrow(/another record or version/);
    await expect(openContentKey(sealed, { ...version, version: 1 }, pair)).rejects.toThrow(/another record or version/);
    await expect(openContentKey(sealed, { ...version, digest: `0x${'44'.repeat(32)}` }, pair)).rejects.toThrow(/another ciphertext/);
  });

  it('hashes with SHA-256, incrementally too', () => {
    const abc = new TextEncoder().encode('abc');
    expect(digestHex(abc)).toBe('0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(newDigest().update(abc.subarray(0, 1)).update(abc.subarray(1)).hex()).toBe(digestHex(abc));
    expect(toHex(fromHex('0x00ff10'))).toBe('0x00ff10');
  });
});
