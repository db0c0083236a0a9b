// tests/data/format_vectors.json, the C++ reference's vectors (docs/format.md): the browser must
// decrypt every envelope and document to the given plaintext, open every sealed key, and refuse
// every tampered case.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { ciphertextSize, decryptEnvelope } from './envelope.js';
import { decodeDocument } from './document.js';
import { openContentKey } from './sealedKey.js';
import { openReasonNote, saltedHash } from './saltedText.js';
import { checkDigest, digestHex } from './digest.js';
import { fromHex, toHex } from './bytes.js';
import { sodium } from './sodium.js';
import { Wallet } from 'ethers';
import { FORMAT_1, deriveEncryptionKey, encryptionKeyDigest, encryptionKeyTypedData, format2 } from './encryptionKey.js';

const vectors = JSON.parse(readFileSync(new URL('../../../tests/data/format_vectors.json', import.meta.url), 'utf8'));

// "byte i of a plaintext or attachment given by size is i mod 251"
function pattern(size) {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = i % 251;
  return out;
}

const byName = (list, name) => list.find((v) => v.name === name);

function mutate(bytes, mutation) {
  if (mutation.flipByte !== undefined) {
    const out = bytes.slice();
    out[mutation.flipByte] ^= 0x01;
    return out;
  }
  if (mutation.truncateTo !== undefined) return bytes.slice(0, mutation.truncateTo);
  if (mutation.append !== undefined) {
    const extra = fromHex(mutation.append);
    const out = new Uint8Array(bytes.length + extra.length);
    out.set(bytes);
    out.set(extra, bytes.length);
    return out;
  }
  return bytes;
}

describe('format_vectors.json: envelopes', () => {
  for (const v of vectors.envelopes) {
    it(`${v.name} decrypts to the pattern, with the reference digest and size`, async () => {
      const ciphertext = fromHex(v.ciphertext);
      expect(ciphertext.length).toBe(ciphertextSize(v.plaintextSize));
      expect(digestHex(ciphertext)).toBe(v.digest);
      const plaintext = await decryptEnvelope(fromHex(v.key), ciphertext);
      expect(plaintext.length).toBe(v.plaintextSize);
      expect(plaintext).toEqual(v.plaintext !== undefined ? fromHex(v.plaintext) : pattern(v.plaintextSize));
      expect(toHex(sha256(plaintext))).toBe(v.plaintextSha256);
    });
  }
});

describe('format_vectors.json: documents', () => {
  for (const v of vectors.documents) {
    it(`${v.name} decrypts to its manifest and attachment`, async () => {
      const ciphertext = fromHex(v.ciphertext);
      expect(digestHex(ciphertext)).toBe(v.digest);
      const document = await decryptEnvelope(fromHex(v.key), ciphertext);
      expect(toHex(sha256(document))).toBe(v.documentSha256);
      const { manifest, attachment } = decodeDocument(document);
      expect(manifest).toEqual(v.manifest);
      expect(attachment).toEqual(pattern(v.attachmentSize));
    });
  }
});

describe('format_vectors.json: sealed keys', () => {
  for (const v of vectors.sealedKeys) {
    it(`${v.name} opens to the content key`, async () => {
      const s = await sodium();
      const pair = { publicKey: fromHex(v.recipientPublic), secretKey: fromHex(v.recipientSecret) };
      expect(toHex(s.crypto_scalarmult_base(pair.secretKey))).toBe(v.recipientPublic);
      expect(fromHex(v.sealed)).toHaveLength(152);
      expect(toHex(await openContentKey(fromHex(v.sealed), v, pair))).toBe(v.contentKey);
    });
  }
  for (const v of vectors.legacySealedKeys) {
    it(`${v.name} (format 1, no binding) still opens`, async () => {
      const pair = { publicKey: fromHex(v.recipientPublic), secretKey: fromHex(v.recipientSecret) };
      expect(fromHex(v.sealed)).toHaveLength(80);
      expect(toHex(await openContentKey(fromHex(v.sealed), null, pair))).toBe(v.contentKey);
    });
  }
});

describe('format_vectors.json: encryption keys', () => {
  for (const v of vectors.encryptionKeys) {
    it(`${v.name} derives the same typed data, digest, signature and key`, async () => {
      const derivation = v.format === 1 ? FORMAT_1 : format2({ chainId: v.chainId, contract: v.contract }, v.generation);
      const typed = encryptionKeyTypedData(v.account, derivation);
      expect(typed.domain).toEqual(v.typedData.domain);
      expect(typed.message).toEqual(v.typedData.message);
      expect(typed.types).toEqual(v.typedData.types);
      expect(encryptionKeyDigest(v.account, derivation)).toBe(v.digest);
      const { domain, types, message } = typed;
      const { EIP712Domain: _domain, ...rest } = types;
      expect(await new Wallet(v.accountKey).signTypedData(domain, rest, message)).toBe(v.signature);
      const pair = await deriveEncryptionKey(v.account, derivation, v.signature);
      expect(toHex(pair.secretKey)).toBe(v.secretKey);
      expect(toHex(pair.publicKey)).toBe(v.publicKey);
    });
  }
});

it("the first sealed key's recipient is the docs/format.md encryption key, derived here", async () => {
  const pair = await deriveEncryptionKey(
    '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    FORMAT_1,
    '0xef19e447d971dd827656617eda5667585a4b9ff5dc8d3c4c7905fce3c757b886189e04de9111abe3dc98dc5d89ecc72bb762290f2a3af97ff3c624cdd6f073ab1b',
  );
  const first = vectors.sealedKeys[0];
  expect(toHex(pair.secretKey)).toBe(first.recipientSecret);
  expect(toHex(await openContentKey(fromHex(first.sealed), first, pair))).toBe(first.contentKey);
});

describe('format_vectors.json: salted texts', () => {
  for (const v of vectors.saltedTexts) {
    it(`${v.name} hashes to keccak256(salt ‖ text)`, () => {
      expect(saltedHash({ salt: fromHex(v.salt), text: v.text })).toBe(v.hash);
    });
  }
  for (const v of vectors.saltedTexts.filter((t) => t.sealed)) {
    it(`${v.name}'s sealed note opens to its salt and text, and is refused against another hash`, async () => {
      const pair = { publicKey: fromHex(v.recipientPublic), secretKey: fromHex(v.recipientSecret) };
      const opened = await openReasonNote(fromHex(v.sealed), v.hash, [pair]);
      expect(toHex(opened.salt)).toBe(v.salt);
      expect(opened.text).toBe(v.text);
      const other = vectors.saltedTexts.find((t) => t.hash !== v.hash).hash;
      await expect(openReasonNote(fromHex(v.sealed), other, [pair])).rejects.toThrow("the node's reason does not match the hash the doctor put on chain");
    });
  }
  it('has reasons with notes and a licence without', () => {
    expect(vectors.saltedTexts.filter((t) => t.sealed).length).toBeGreaterThanOrEqual(3);
    expect(vectors.saltedTexts.some((t) => !t.sealed)).toBe(true);
  });
});

describe('format_vectors.json: tampered cases fail', () => {
  for (const t of vectors.tampered) {
    it(`${t.kind} ${t.name} is refused`, async () => {
      if (t.kind === 'envelope') {
        const base = byName(vectors.envelopes, t.base);
        const key = fromHex(t.mutation.key ?? base.key);
        await expect(decryptEnvelope(key, mutate(fromHex(base.ciphertext), t.mutation))).rejects.toThrow();
      } else if (t.kind === 'sealedKey') {
        const base = byName(vectors.sealedKeys, t.base);
        const pair = { publicKey: fromHex(base.recipientPublic), secretKey: fromHex(base.recipientSecret) };
        const expected = { recordId: base.recordId, version: base.version, digest: base.digest, ...t.mutation };
        const opening = openContentKey(mutate(fromHex(base.sealed), t.mutation), expected, pair);
        await expect(opening).rejects.toThrow(t.error === 'check_failed' ? /sealed for another/ : /cannot open/);
      } else if (t.kind === 'digest') {
        const base = byName(vectors.envelopes, t.base);
        expect(() => checkDigest(fromHex(base.ciphertext), t.mutation.digest)).toThrow(/does not match the chain's digest/);
        expect(checkDigest(fromHex(base.ciphertext), base.digest)).toBe(base.digest);
      } else {
        throw new Error(`unknown tampered kind ${t.kind}`);
      }
    });
  }
  it('covers every kind the file has', () => {
    expect(new Set(vectors.tampered.map((t) => t.kind))).toEqual(new Set(['envelope', 'sealedKey', 'digest']));
  });
});
