// The "escrow" vectors of tests/data/format_vectors.json (docs/format.md, "Emergency escrow"),
// recomputed by the web app's own escrow code (crypto/escrow.js), an implementation independent
// of the C++ one written from the spec alone: the dealing, the shares, the wrapped keys (from the
// vectors' ephemeral scalars), the custodians' partials, and the doctor's opening and combining.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sha512 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from './bytes.js';
import { sodium } from './sodium.js';
import {
  dealEscrow, escrowPartialPlaintext, openEscrowPartial, openEscrowWrappedKey, reduce, scalarBytes, shareImage, sharePlaintext,
  unwrapWithSharedPoint, wrapForEscrow, decodePoint,
} from './escrow.js';

const vectors = JSON.parse(readFileSync(new URL('../../../tests/data/format_vectors.json', import.meta.url), 'utf8'));
const escrow = vectors.escrow;
const utf8 = (text) => new TextEncoder().encode(text);
const policy = { threshold: escrow.threshold, count: escrow.custodianCount, commitments: escrow.commitments.map(fromHex) };
const versionOf = (wrap) => ({ recordId: wrap.recordId, version: wrap.version, digest: wrap.digest });
const doctor = { publicKey: fromHex(escrow.doctorPublic), secretKey: fromHex(escrow.doctorSecret) };

describe('escrow vectors', () => {
  it('derives the coefficients from their labels and commits to them', async () => {
    const coefficients = escrow.coefficients.map((hex, j) => {
      const a = reduce(fromHex(hex));
      expect(a).toBe(reduce(sha512(utf8(`medchain format vector escrow coefficient ${j}`))));
      return a;
    });
    const dealt = await dealEscrow({ threshold: escrow.threshold, count: escrow.custodianCount, coefficients });
    expect(dealt.commitments.map(toHex)).toEqual(escrow.commitments);
    expect(toHex(dealt.escrowKey)).toBe(escrow.escrowKey);
    expect(dealt.shares.map((s) => toHex(s.share))).toEqual(escrow.shares.map((s) => s.share));
  });

  it('seals share f(i), bound to the patient and policy, to custodian i', async () => {
    const s = await sodium();
    for (const share of escrow.shares) {
      // Feldman: s_i·G = Σ C_j·i^j
      expect(toHex(shareImage(policy.commitments, share.index).toBytes())).toBe(share.shareImage);
      const plaintext = sharePlaintext({
        patient: escrow.patient, escrowKey: fromHex(escrow.escrowKey), index: share.index, threshold: escrow.threshold, count: escrow.custodianCount, share: fromHex(share.share),
      });
      expect(toHex(plaintext)).toBe(share.plaintext);
      const opened = s.crypto_box_seal_open(fromHex(share.sealed), fromHex(share.custodianPublic), fromHex(share.custodianSecret));
      expect(toHex(opened)).toBe(share.plaintext);
    }
  });

  for (const wrap of escrow.wraps) {
    it(`wraps and opens ${wrap.name} from any 2 of the 3 partials`, async () => {
      const wrapped = await wrapForEscrow(fromHex(wrap.contentKey), versionOf(wrap), fromHex(escrow.escrowKey), reduce(fromHex(wrap.ephemeral)));
      expect(toHex(wrapped)).toBe(wrap.wrapped);
      const direct = await unwrapWithSharedPoint(wrapped, versionOf(wrap), fromHex(escrow.escrowKey), decodePoint(fromHex(wrap.sharedPoint)));
      expect(toHex(direct)).toBe(wrap.contentKey);

      const partials = [];
      for (const vector of wrap.partials) {
        const share = escrow.shares.find((s) => s.index === vector.index);
        const plain = await escrowPartialPlaintext({ index: vector.index, share: fromHex(share.share), commitments: policy.commitments }, wrapped, versionOf(wrap));
        expect(toHex(plain)).toBe(vector.plaintext);
        const opened = await openEscrowPartial(fromHex(vector.sealed), { policy, wrapped, version: versionOf(wrap), keyPair: doctor });
        expect(opened.index).toBe(vector.index);
        expect(toHex(opened.point.toBytes())).toBe(vector.point);
        partials.push(opened);
      }
      for (const [i, j] of [[0, 1], [0, 2], [1, 2], [2, 0]]) {
        const key = await openEscrowWrappedKey(wrapped, versionOf(wrap), policy, [partials[i], partials[j]]);
        expect(toHex(key)).toBe(wrap.contentKey);
      }
      await expect(openEscrowWrappedKey(wrapped, versionOf(wrap), policy, [partials[0]])).rejects.toMatchObject({ code: 'decrypt_failed' });
      await expect(openEscrowWrappedKey(wrapped, versionOf(wrap), policy, [partials[0], partials[0]])).rejects.toMatchObject({ code: 'invalid_argument' });
    });
  }

  it('refuses a partial of version 1 offered for version 2, and a key wrapped for another version', async () => {
    const [one, two] = escrow.wraps;
    const wrappedTwo = fromHex(two.wrapped);
    await expect(openEscrowPartial(fromHex(one.partials[0].sealed), { policy, wrapped: wrappedTwo, version: versionOf(two), keyPair: doctor })).rejects.toMatchObject({ code: 'check_failed' });
    await expect(unwrapWithSharedPoint(fromHex(one.wrapped), versionOf(two), fromHex(escrow.escrowKey), decodePoint(fromHex(one.sharedPoint)))).rejects.toMatchObject({ code: 'check_failed' });
  });

  it('names a custodian whose proof fails, and refuses a share scalar that is not canonical', async () => {
    const s = await sodium();
    const wrap = escrow.wraps[0];
    const plain = fromHex(wrap.partials[1].plaintext);
    plain[232] ^= 0x01; // z altered: still canonical, no longer a proof
    const forged = s.crypto_box_seal(plain, doctor.publicKey);
    await expect(openEscrowPartial(forged, { policy, wrapped: fromHex(wrap.wrapped), version: versionOf(wrap), keyPair: doctor }))
      .rejects.toThrow(/custodian 2's partial does not prove itself/);
    const big = scalarBytes(0n);
    big.fill(0xff);
    await expect(escrowPartialPlaintext({ index: 1, share: big, commitments: policy.commitments }, fromHex(wrap.wrapped), versionOf(wrap))).rejects.toMatchObject({ code: 'check_failed' });
  });

  it('deals, wraps and opens a fresh escrow end to end', async () => {
    const s = await sodium();
    const dealt = await dealEscrow({ threshold: 3, count: 5 });
    const fresh = { threshold: 3, count: 5, commitments: dealt.commitments };
    const version = { recordId: `0x${'ab'.repeat(32)}`, version: 7, digest: `0x${'cd'.repeat(32)}` };
    const contentKey = s.randombytes_buf(32);
    const wrapped = await wrapForEscrow(contentKey, version, dealt.escrowKey);
    const partials = [];
    for (const index of [5, 2, 4]) {
      const plain = await escrowPartialPlaintext({ index, share: dealt.shares[index - 1].share, commitments: dealt.commitments }, wrapped, version);
      partials.push(await openEscrowPartial(s.crypto_box_seal(plain, doctor.publicKey), { policy: fresh, wrapped, version, keyPair: doctor }));
    }
    expect(toHex(await openEscrowWrappedKey(wrapped, version, fresh, partials))).toBe(toHex(contentKey));
    await expect(openEscrowWrappedKey(wrapped, version, fresh, partials.slice(0, 2))).rejects.toMatchObject({ code: 'decrypt_failed' });
  });
});
