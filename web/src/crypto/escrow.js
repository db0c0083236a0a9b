// The emergency escrow's cryptography (docs/format.md, "Emergency escrow"): threshold ECDH on
// ristretto255. The patient deals k-of-n Shamir shares of an escrow secret s with Feldman
// commitments and seals each share to its custodian; a writer wraps a version's content key to
// E = s·G with a proof that it knows the ephemeral scalar; a custodian answers s_i·R with a
// Chaum-Pedersen proof, sealed to the doctor; the doctor checks k partials and combines them.
//
// The group arithmetic is @noble/curves' ristretto255 (libsodium-wrappers, not the sumo build,
// has no ristretto255 functions); hashing, the AEAD and sealed boxes are libsodium's, as in the
// C++ client (src/medchain/records/escrow.cpp). Errors carry the C++ codes in `code`:
// check_failed (a proof or binding that does not hold), invalid_argument (malformed input),
// decrypt_failed (too few partials, or a key that does not open).
import { ristretto255 } from '@noble/curves/ed25519.js';
import { concatBytes, equalBytes, fromHex } from './bytes.js';
import { sodium } from './sodium.js';
import { versionBinding } from './sealedKey.js';

export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const Point = ristretto255.Point;
const G = Point.BASE;
const utf8 = (text) => new TextEncoder().encode(text);

export const WRAPPED_KEY_SIZE = 144;
export const SHARE_PLAINTEXT_SIZE = 91;
export const PARTIAL_PLAINTEXT_SIZE = 233;
const SHARE_MAGIC = utf8('MCES');
const WRAP_MAGIC = utf8('MCEW');
const PARTIAL_MAGIC = utf8('MCEP');

function escrowError(code, message) {
  return Object.assign(new Error(message), { code });
}

// Scalars are 32 bytes little-endian. `reduce` takes any length (a 64-byte hash) mod L.
export function reduce(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n % L;
}
export function scalarBytes(n) {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}
// A scalar sent by another party: 32 bytes, < L (a non-canonical one is refused, as in C++).
function canonicalScalar(bytes, what) {
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  if (bytes.length !== 32 || n >= L) throw escrowError('check_failed', `${what} is not a canonical scalar`);
  return n;
}
const mod = (n) => ((n % L) + L) % L;
function inverse(a) {
  let result = 1n;
  let base = mod(a);
  for (let e = L - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % L;
    base = (base * base) % L;
  }
  return result;
}
// multiplyUnsafe takes 0 (a challenge may be); secret scalars go through multiply.
const times = (point, n) => point.multiplyUnsafe(mod(n));

// A point another party sent: a canonical encoding, not the identity.
export function decodePoint(bytes, what = 'a point') {
  let point;
  try {
    point = Point.fromBytes(bytes);
  } catch {
    throw escrowError('invalid_argument', `${what} is not a ristretto255 point`);
  }
  if (point.is0()) throw escrowError('invalid_argument', `${what} is the identity`);
  return point;
}

async function hashScalar(parts) {
  const s = await sodium();
  return reduce(s.crypto_generichash(64, concatBytes(parts)));
}

// A random non-zero scalar: 64 random bytes mod L (bias 2^-260).
export async function randomScalar() {
  const s = await sodium();
  for (;;) {
    const n = reduce(s.randombytes_buf(64));
    if (n !== 0n) return n;
  }
}

// "MCEW" ‖ recordId ‖ version (u32 BE) ‖ digest: what a wrapped key and a partial are bound to.
export const escrowBinding = (version) => versionBinding(WRAP_MAGIC, version);

// --- Policy and dealing (the patient) ---

// Deals a k-of-n escrow: {coefficients, commitments (bytes), escrowKey, shares: [{index, share}]}.
// `coefficients` (bigints) are given by the vectors only; the caller wipes nothing it does not
// hold, and the returned secrets should be dropped as soon as the shares are sealed.
export async function dealEscrow({ threshold, count, coefficients }) {
  if (!Number.isInteger(threshold) || !Number.isInteger(count) || threshold < 2 || threshold > count || count > 255) {
    throw escrowError('invalid_argument', 'an escrow needs 2 ≤ k ≤ n ≤ 255');
  }
  const a = coefficients ?? [];
  for (let j = a.length; j < threshold; j++) a.push(await randomScalar());
  const commitments = a.map((coefficient) => G.multiply(coefficient).toBytes());
  const f = (x) => a.reduceRight((acc, coefficient) => mod(acc * x + coefficient), 0n);
  const shares = [];
  for (let i = 1; i <= count; i++) shares.push({ index: i, share: scalarBytes(f(BigInt(i))) });
  return { coefficients: a, commitments, escrowKey: commitments[0], shares };
}

// Y_i = Σ_j C_j·i^j, custodian i's public share image.
export function shareImage(commitments, index) {
  let sum = Point.ZERO;
  let power = 1n;
  for (const c of commitments) {
    sum = sum.add(times(decodePoint(c, 'a commitment'), power));
    power = mod(power * BigInt(index));
  }
  return sum;
}

// "MCES" ‖ patient ‖ E ‖ i ‖ k ‖ n ‖ s_i (91 bytes).
export function sharePlaintext({ patient, escrowKey, index, threshold, count, share }) {
  const address = typeof patient === 'string' ? fromHex(patient) : patient;
  return concatBytes([SHARE_MAGIC, address, escrowKey, new Uint8Array([index, threshold, count]), share]);
}

// Custodian i's share, sealed to its X25519 key (139 bytes).
export async function sealEscrowShare(fields, custodianKey) {
  const s = await sodium();
  return s.crypto_box_seal(sharePlaintext(fields), custodianKey);
}

// --- Wrapping a content key (any writer who knows E) ---

// The 144-byte wrapped key: R ‖ e ‖ u ‖ AEAD(contentKey). `r` (a bigint) is given by the vectors
// only; otherwise fresh.
export async function wrapForEscrow(contentKey, version, escrowKey, r) {
  const s = await sodium();
  const binding = escrowBinding(version);
  const E = decodePoint(escrowKey, 'the escrow key');
  r ??= await randomScalar();
  const R = G.multiply(r);
  const S = E.multiply(r);
  const t = await hashScalar([utf8('medchain escrow ephemeral nonce v1'), scalarBytes(r), escrowKey, binding]);
  const e = await hashScalar([utf8('medchain escrow ephemeral v1'), R.toBytes(), G.multiply(t).toBytes(), escrowKey, binding]);
  const u = mod(t + e * r);
  const key = s.crypto_generichash(32, concatBytes([utf8('medchain escrow v1'), R.toBytes(), escrowKey, S.toBytes(), binding]));
  const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(contentKey, binding, null, new Uint8Array(24), key);
  return concatBytes([R.toBytes(), scalarBytes(e), scalarBytes(u), sealed]);
}

// R of a wrapped key whose proof of r holds for this binding and E; check_failed otherwise.
export async function checkWrappedKey(wrapped, version, escrowKey) {
  if (wrapped.length !== WRAPPED_KEY_SIZE) throw escrowError('invalid_argument', `a wrapped key has ${WRAPPED_KEY_SIZE} bytes`);
  const binding = escrowBinding(version);
  const R = decodePoint(wrapped.subarray(0, 32), 'the ephemeral point');
  const e = canonicalScalar(wrapped.subarray(32, 64), "the wrap proof's challenge");
  const u = canonicalScalar(wrapped.subarray(64, 96), "the wrap proof's response");
  const T = times(G, u).subtract(times(R, e));
  const again = await hashScalar([utf8('medchain escrow ephemeral v1'), R.toBytes(), T.toBytes(), escrowKey, binding]);
  if (again !== e) throw escrowError('check_failed', 'the wrapped key was not made for this version');
  return R;
}

// --- A custodian's partial (the custodian; here for the tests and the vectors) ---

// The 233-byte partial plaintext of custodian `index` (share s_i as bytes) for `wrapped`.
export async function escrowPartialPlaintext({ index, share, commitments }, wrapped, version) {
  const escrowKey = commitments[0];
  const R = await checkWrappedKey(wrapped, version, escrowKey);
  const binding = escrowBinding(version);
  const si = canonicalScalar(share, 'the share');
  const P = R.multiply(si);
  const w = await hashScalar([utf8('medchain escrow dleq nonce v1'), share, R.toBytes(), binding]);
  const Y = shareImage(commitments, index);
  const c = await hashScalar([
    utf8('medchain escrow dleq v1'), Y.toBytes(), R.toBytes(), P.toBytes(), G.multiply(w).toBytes(), R.multiply(w).toBytes(),
    binding, escrowKey, new Uint8Array([index]),
  ]);
  const z = mod(w + c * si);
  return concatBytes([PARTIAL_MAGIC, binding.subarray(4), escrowKey, R.toBytes(), new Uint8Array([index]), P.toBytes(), scalarBytes(c), scalarBytes(z)]);
}

// --- The doctor ---

// Opens custodian partial `sealed` (sealed to `keyPair`) for `wrapped` of `version` under
// `policy` ({threshold, count, commitments}); returns {index, point}. check_failed names the
// custodian whose proof fails.
export async function openEscrowPartial(sealed, { policy, wrapped, version, keyPair }) {
  const s = await sodium();
  let plain;
  try {
    plain = s.crypto_box_seal_open(sealed, keyPair.publicKey, keyPair.secretKey);
  } catch {
    throw escrowError('decrypt_failed', 'the partial was not sealed to this account or was altered');
  }
  if (plain.length !== PARTIAL_PLAINTEXT_SIZE) throw escrowError('invalid_argument', `a partial has ${PARTIAL_PLAINTEXT_SIZE} bytes`);
  const escrowKey = policy.commitments[0];
  const binding = escrowBinding(version);
  const header = concatBytes([PARTIAL_MAGIC, binding.subarray(4), escrowKey, wrapped.subarray(0, 32)]);
  if (!equalBytes(plain.subarray(0, 136), header)) throw escrowError('check_failed', 'the partial is for another version, escrow or wrapped key');
  const index = plain[136];
  if (index < 1 || index > policy.count) throw escrowError('invalid_argument', `custodian index ${index} is not in the policy`);
  const R = decodePoint(plain.subarray(104, 136), 'the ephemeral point');
  const P = decodePoint(plain.subarray(137, 169), `custodian ${index}'s partial`);
  const c = canonicalScalar(plain.subarray(169, 201), `custodian ${index}'s challenge`);
  const z = canonicalScalar(plain.subarray(201, 233), `custodian ${index}'s response`);
  const Y = shareImage(policy.commitments, index);
  const A1 = times(G, z).subtract(times(Y, c));
  const A2 = times(R, z).subtract(times(P, c));
  const again = await hashScalar([
    utf8('medchain escrow dleq v1'), Y.toBytes(), R.toBytes(), P.toBytes(), A1.toBytes(), A2.toBytes(), binding, escrowKey, new Uint8Array([index]),
  ]);
  if (again !== c) throw escrowError('check_failed', `custodian ${index}'s partial does not prove itself`);
  return { index, point: P };
}

// S = Σ λ_i·P_i over the partials' indices (Lagrange at 0).
export function combinePartials(partials, policy) {
  const indices = partials.map((p) => p.index);
  if (new Set(indices).size !== indices.length || indices.some((i) => i < 1 || i > policy.count)) {
    throw escrowError('invalid_argument', 'partials must come from distinct custodians of the policy');
  }
  if (partials.length < policy.threshold) {
    throw escrowError('decrypt_failed', `${partials.length} partials; the escrow needs ${policy.threshold}`);
  }
  return partials.reduce((sum, p) => {
    let lambda = 1n;
    for (const q of partials) if (q !== p) lambda = mod(lambda * BigInt(q.index) * inverse(BigInt(q.index - p.index)));
    return sum.add(times(p.point, lambda));
  }, Point.ZERO);
}

// Opens the wrapped key with the shared point S (r·E).
export async function unwrapWithSharedPoint(wrapped, version, escrowKey, S) {
  const s = await sodium();
  const R = await checkWrappedKey(wrapped, version, escrowKey);
  const binding = escrowBinding(version);
  const key = s.crypto_generichash(32, concatBytes([utf8('medchain escrow v1'), R.toBytes(), escrowKey, S.toBytes(), binding]));
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrapped.subarray(96), binding, new Uint8Array(24), key);
  } catch {
    throw escrowError('decrypt_failed', 'the escrowed key does not open with these partials');
  }
}

// The content key from k opened partials ({index, point}).
export async function openEscrowWrappedKey(wrapped, version, policy, partials) {
  await checkWrappedKey(wrapped, version, policy.commitments[0]);
  return unwrapWithSharedPoint(wrapped, version, policy.commitments[0], combinePartials(partials.slice(0, policy.threshold), policy));
}

