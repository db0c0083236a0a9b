// The "escrow" vectors of tests/data/format_vectors.json (docs/format.md, "Emergency escrow"),
// recomputed by an implementation independent of the C++ one, from the spec alone.
//
// libsodium-wrappers (0.8.4, not the sumo build) exports no crypto_core_ristretto255_* /
// crypto_scalarmult_ristretto255* functions, so the group arithmetic here is @noble/curves'
// ristretto255 (declared in web/package.json). Hashing, AEAD and sealed boxes are
// libsodium-wrappers'.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, toHex } from './bytes.js';
import { sodium } from './sodium.js';

const vectors = JSON.parse(readFileSync(new URL('../../../tests/data/format_vectors.json', import.meta.url), 'utf8'));
const escrow = vectors.escrow;

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const RistrettoPoint = ristretto255.Point;
const G = RistrettoPoint.BASE;
const utf8 = (text) => new TextEncoder().encode(text);

function scalarFromLe(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n % L;
}
function scalarToLe(n) {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}
const mod = (n) => ((n % L) + L) % L;
function inverse(a) {
  // a^(L-2) mod L
  let result = 1n;
  let base = mod(a);
  let e = L - 2n;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % L;
    base = (base * base) % L;
    e >>= 1n;
  }
  return result;
}
const point = (hex) => RistrettoPoint.fromBytes(fromHex(hex));
const hexOf = (p) => toHex(p.toBytes());
const u32be = (n) => new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);

// "MCEW" ‖ record id ‖ version (u32 BE) ‖ digest
const versionBinding = (wrap) =>
  concatBytes([utf8('MCEW'), fromHex(wrap.recordId), u32be(wrap.version), fromHex(wrap.digest)]);

describe('escrow vectors', () => {
  const a = escrow.coefficients.map((hex) => scalarFromLe(fromHex(hex)));
  const E = point(escrow.escrowKey);
  const f = (x) => a.reduceRight((acc, coefficient) => mod(acc * x + coefficient), 0n);

  it('derives the coefficients from their labels and commits to them', () => {
    a.forEach((coefficient, j) => {
      expect(coefficient).toBe(scalarFromLe(sha512(utf8(`medchain format vector escrow coefficient ${j}`))));
      expect(hexOf(G.multiply(coefficient))).toBe(escrow.commitments[j]);
    });
    expect(escrow.commitments[0]).toBe(escrow.escrowKey);
  });

  it('seals share f(i), bound to the patient and policy, to custodian i', async () => {
    const s = await sodium();
    for (const share of escrow.shares) {
      const si = f(BigInt(share.index));
      expect(toHex(scalarToLe(si))).toBe(share.share);
      // Feldman: s_i·G = Σ C_j·i^j
      const image = escrow.commitments.reduce(
        (sum, c, j) => sum.add(point(c).multiply(BigInt(share.index) ** BigInt(j))),
        RistrettoPoint.ZERO,
      );
      expect(hexOf(image)).toBe(share.shareImage);
      expect(hexOf(G.multiply(si))).toBe(share.shareImage);
      const plaintext = concatBytes([
        utf8('MCES'),
        fromHex(escrow.patient),
        fromHex(escrow.escrowKey),
        new Uint8Array([share.index, escrow.threshold, escrow.custodianCount]),
        scalarToLe(si),
      ]);
      expect(toHex(plaintext)).toBe(share.plaintext);
      const opened = s.crypto_box_seal_open(fromHex(share.sealed), fromHex(share.custodianPublic), fromHex(share.custodianSecret));
      expect(toHex(opened)).toBe(share.plaintext);
    }
  });

  for (const wrap of escrow.wraps) {
    it(`wraps and opens ${wrap.name} from any 2 of the 3 partials`, async () => {
      const s = await sodium();
      const r = scalarFromLe(fromHex(wrap.ephemeral));
      const R = G.multiply(r);
      const wrapped = fromHex(wrap.wrapped);
      expect(wrapped.length).toBe(144);
      expect(toHex(wrapped.slice(0, 32))).toBe(hexOf(R));
      expect(hexOf(E.multiply(r))).toBe(wrap.sharedPoint);
      const binding = versionBinding(wrap);
      // The writer's proof of r: T = u·G − e·R hashes back to e; the nonce is derived from r.
      const e = scalarFromLe(wrapped.slice(32, 64));
      const u = scalarFromLe(wrapped.slice(64, 96));
      const T = G.multiply(u).subtract(R.multiply(e));
      const proofHash = (t) =>
        scalarFromLe(s.crypto_generichash(64, concatBytes([utf8('medchain escrow ephemeral v1'), R.toBytes(), t.toBytes(), E.toBytes(), binding])));
      expect(proofHash(T)).toBe(e);
      const t = scalarFromLe(s.crypto_generichash(64, concatBytes([utf8('medchain escrow ephemeral nonce v1'), scalarToLe(r), E.toBytes(), binding])));
      expect(hexOf(G.multiply(t))).toBe(hexOf(T));
      expect(mod(t + e * r)).toBe(u);
      const unwrap = (S) => {
        const key = s.crypto_generichash(32, concatBytes([utf8('medchain escrow v1'), R.toBytes(), E.toBytes(), S.toBytes(), binding]));
        return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrapped.slice(96), binding, new Uint8Array(24), key);
      };
      expect(toHex(unwrap(point(wrap.sharedPoint)))).toBe(wrap.contentKey);

      const doctor = [fromHex(escrow.doctorPublic), fromHex(escrow.doctorSecret)];
      const partials = wrap.partials.map((vector) => {
        const plain = s.crypto_box_seal_open(fromHex(vector.sealed), ...doctor);
        expect(toHex(plain)).toBe(vector.plaintext);
        expect(plain.length).toBe(233);
        const header = concatBytes([utf8('MCEP'), binding.slice(4), E.toBytes(), R.toBytes()]);
        expect(toHex(plain.slice(0, 136))).toBe(toHex(header));
        const index = plain[136];
        expect(index).toBe(vector.index);
        const P = RistrettoPoint.fromBytes(plain.slice(137, 169));
        expect(hexOf(P)).toBe(hexOf(R.multiply(f(BigInt(index)))));
        // Chaum-Pedersen: A1 = z·G − c·Y_i, A2 = z·R − c·P_i hash back to c.
        const c = scalarFromLe(plain.slice(169, 201));
        const z = scalarFromLe(plain.slice(201, 233));
        const Y = G.multiply(f(BigInt(index)));
        const A1 = G.multiply(z).subtract(Y.multiply(c));
        const A2 = R.multiply(z).subtract(P.multiply(c));
        const challenge = s.crypto_generichash(
          64,
          concatBytes([utf8('medchain escrow dleq v1'), Y.toBytes(), R.toBytes(), P.toBytes(), A1.toBytes(), A2.toBytes(), binding, E.toBytes(), new Uint8Array([index])]),
        );
        expect(scalarFromLe(challenge)).toBe(c);
        // The derived nonce w = reduce(BLAKE2b-64(domain ‖ s_i ‖ R ‖ binding)).
        const si = f(BigInt(index));
        const w = scalarFromLe(s.crypto_generichash(64, concatBytes([utf8('medchain escrow dleq nonce v1'), scalarToLe(si), R.toBytes(), binding])));
        expect(mod(w + c * si)).toBe(z);
        return { x: BigInt(index), P };
      });
      for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
        const pair = [partials[i], partials[j]];
        const S = pair.reduce((sum, p) => {
          const other = pair.find((q) => q !== p);
          const lambda = mod(other.x * inverse(other.x - p.x));
          return sum.add(p.P.multiply(lambda));
        }, RistrettoPoint.ZERO);
        expect(hexOf(S)).toBe(wrap.sharedPoint);
        expect(toHex(unwrap(S))).toBe(wrap.contentKey);
      }
    });
  }
});
