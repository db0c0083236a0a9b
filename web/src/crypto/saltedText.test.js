// Salted reasons (docs/format.md, "Reasons and licences"): a note opens only for the patient it
// was sealed to and only against the hash the doctor committed to; anyone can seal a note to the
// patient, so a note of a node's own (another salt or text) must be refused, never shown.
import { describe, expect, it } from 'vitest';
import { keccak256 } from 'ethers';
import { concatBytes, toHex } from './bytes.js';
import { sodium } from './sodium.js';
import { MAX_REASON_BYTES, MAX_SEALED_REASON, MIN_SEALED_REASON, openReasonNote, saltText, saltedHash, sealReasonNote } from './saltedText.js';

async function keyPair() {
  const { publicKey, privateKey } = (await sodium()).crypto_box_keypair();
  return { publicKey, secretKey: privateKey };
}

const MISMATCH = "the node's reason does not match the hash the doctor put on chain";

describe('salted reasons', () => {
  it('salts each reason afresh, so the same text gives another hash each time', async () => {
    const a = await saltText('Follow-up visit');
    const b = await saltText('Follow-up visit');
    expect(a.salt).toHaveLength(32);
    expect(toHex(a.salt)).not.toBe(toHex(b.salt));
    expect(saltedHash(a)).not.toBe(saltedHash(b));
    expect(saltedHash(a)).toBe(keccak256(concatBytes([a.salt, new TextEncoder().encode('Follow-up visit')])));
  });

  it('opens a note sealed to the patient, with any of their key pairs', async () => {
    const [old, current] = [await keyPair(), await keyPair()];
    const salted = await saltText('Kontrolle nach Operation — Dr. Müller');
    const sealed = await sealReasonNote(salted, current.publicKey);
    const opened = await openReasonNote(sealed, saltedHash(salted), [old, current]);
    expect(opened.text).toBe(salted.text);
    expect(toHex(opened.salt)).toBe(toHex(salted.salt));
  });

  it("refuses a forged note: the node's own reason, sealed to the patient under another salt", async () => {
    const patient = await keyPair();
    const doctors = await saltText('Second opinion');
    const forged = await sealReasonNote(await saltText('Second opinion'), patient.publicKey);
    await expect(openReasonNote(forged, saltedHash(doctors), [patient])).rejects.toThrow(MISMATCH);
    const other = await sealReasonNote({ salt: doctors.salt, text: 'Insurance assessment' }, patient.publicKey);
    await expect(openReasonNote(other, saltedHash(doctors), [patient])).rejects.toThrow(MISMATCH);
  });

  it('refuses a note sealed to someone else, altered, of a wrong size, or not in the format', async () => {
    const [patient, stranger] = [await keyPair(), await keyPair()];
    const salted = await saltText('Referral');
    const hash = saltedHash(salted);
    const sealed = await sealReasonNote(salted, patient.publicKey);
    await expect(openReasonNote(sealed, hash, [stranger])).rejects.toThrow(/does not open with your keys/);
    const altered = sealed.slice();
    altered[60] ^= 1;
    await expect(openReasonNote(altered, hash, [patient])).rejects.toThrow(/does not open with your keys/);
    await expect(openReasonNote(sealed.slice(0, MIN_SEALED_REASON - 1), hash, [patient])).rejects.toThrow(/84 to 1108 bytes/);
    const s = await sodium();
    const plain = concatBytes([new TextEncoder().encode('MCK2'), salted.salt, new TextEncoder().encode('Referral')]);
    await expect(openReasonNote(s.crypto_box_seal(plain, patient.publicKey), hash, [patient])).rejects.toThrow(/not in a known format/);
  });

  it('seals reasons up to 1,024 bytes of UTF-8 and refuses longer ones', async () => {
    const patient = await keyPair();
    const longest = await saltText('é'.repeat(MAX_REASON_BYTES / 2));
    const sealed = await sealReasonNote(longest, patient.publicKey);
    expect(sealed).toHaveLength(MAX_SEALED_REASON);
    expect((await openReasonNote(sealed, saltedHash(longest), [patient])).text).toBe(longest.text);
    await expect(sealReasonNote(await saltText('x'.repeat(MAX_REASON_BYTES + 1)), patient.publicKey)).rejects.toThrow(/at most 1024 bytes/);
  });
});
