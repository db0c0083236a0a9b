// Byte layouts: docs/format.md, "Emergency escrow".
#include <algorithm>
#include <medchain/records/detail/escrow_proofs.hpp>
#include <medchain/records/detail/ristretto.hpp>
#include <medchain/records/escrow.hpp>
#include <set>
#include <stdexcept>
#include <string>

namespace medchain::records {
namespace {

using namespace detail;

constexpr std::string_view kWrapDomain = "medchain escrow v1";
constexpr std::size_t kWrappedProofEnd = 96;  // R ‖ e ‖ u, then the AEAD ciphertext
constexpr std::size_t kVersionBindingSize = 4 + 32 + 4 + 32;

Error check_failed(std::string what) {
  return Error{Errc::kCheckFailed, std::move(what)};
}
Error decrypt_failed(std::string what) {
  return Error{Errc::kDecryptFailed, std::move(what)};
}
Error invalid(std::string what) {
  return Error{Errc::kInvalidArgument, std::move(what)};
}

void append(Bytes& out, ByteView part) {
  out.insert(out.end(), part.begin(), part.end());
}
void append_u32(Bytes& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(value >> shift));
}

// The version a wrapped key or a partial is for: "MCEW" ‖ record id ‖ version (u32 BE) ‖ digest.
Bytes version_binding(const KeyBinding& binding) {
  Bytes out;
  out.reserve(kVersionBindingSize);
  append(out, kEscrowWrapMagic);
  append(out, binding.record_id.view());
  append_u32(out, binding.version);
  append(out, binding.digest.view());
  return out;
}

Bytes share_plaintext(const EscrowPolicy& policy, std::uint8_t index,
                      const RistrettoScalar& secret) {
  Bytes out;
  out.reserve(kEscrowSharePlaintextSize);
  append(out, kEscrowShareMagic);
  append(out, policy.patient.view());
  append(out, policy.escrow_key().view());
  out.insert(out.end(), {index, policy.threshold, policy.custodian_count});
  append(out, secret.view());
  return out;
}

// BLAKE2b-256 of the domain, R, E, S and the version binding: one key per wrap, since R is fresh.
std::array<std::uint8_t, 32> wrap_key(const RistrettoPoint& ephemeral, const RistrettoPoint& escrow,
                                      const RistrettoPoint& shared, ByteView binding) {
  crypto_generichash_state state;
  std::array<std::uint8_t, 32> key{};
  crypto_generichash_init(&state, nullptr, 0, key.size());
  crypto_generichash_update(&state, reinterpret_cast<const std::uint8_t*>(kWrapDomain.data()),
                            kWrapDomain.size());
  for (ByteView part : {ephemeral.view(), escrow.view(), shared.view(), binding}) {
    crypto_generichash_update(&state, part.data(), part.size());
  }
  crypto_generichash_final(&state, key.data(), key.size());
  return key;
}

// The wrap key is used once, so the AEAD nonce is fixed (all zero) and not sent.
constexpr std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> kZeroNonce{};

// R of a wrapped key, once its proof shows the wrapper knew r for this version: R copied from
// another version's wrapped key (to make custodians answer for that version) is refused.
Result<RistrettoPoint> proven_ephemeral(ByteView wrapped_key, const RistrettoPoint& escrow,
                                        ByteView binding) {
  if (wrapped_key.size() != kEscrowWrappedKeySize) {
    return Error{Errc::kInvalidLength, "an escrow-wrapped key has " +
                                           std::to_string(kEscrowWrappedKeySize) + " bytes, got " +
                                           std::to_string(wrapped_key.size())};
  }
  RistrettoPoint r = RistrettoPoint::from_view(wrapped_key.first(32)).value();
  if (!point_is_usable(r)) return invalid("the wrapped key's ephemeral point is not usable");
  const EscrowProof proof{RistrettoScalar::from_view(wrapped_key.subspan(32, 32)).value(),
                          RistrettoScalar::from_view(wrapped_key.subspan(64, 32)).value()};
  if (!verify_ephemeral(r, escrow, binding, proof)) {
    return check_failed("the wrapped key's ephemeral point is not proven for this version");
  }
  return r;
}

Status check_index(const EscrowPolicy& policy, std::uint8_t index) {
  if (index == 0 || index > policy.custodian_count) {
    return invalid("custodian index " + std::to_string(index) + " is not in 1.." +
                   std::to_string(policy.custodian_count));
  }
  return {};
}

}  // namespace

Status check_escrow_policy(const EscrowPolicy& policy) {
  if (policy.threshold < 2 || policy.threshold > policy.custodian_count) {
    return invalid("an escrow needs 2 ≤ k ≤ n, got k = " + std::to_string(policy.threshold) +
                   ", n = " + std::to_string(policy.custodian_count));
  }
  if (policy.commitments.size() != policy.threshold) {
    return invalid("an escrow policy has k commitments");
  }
  for (const RistrettoPoint& c : policy.commitments) {
    if (!point_is_usable(c)) return invalid("an escrow commitment is not a usable point");
  }
  return {};
}

Result<EscrowDealing> deal_escrow(const Address& patient, std::uint8_t threshold,
                                  std::span<const X25519PublicKey> custodians) {
  std::vector<RistrettoScalar> coefficients;
  for (std::uint8_t j = 0; j < threshold; ++j) coefficients.push_back(random_scalar());
  auto dealing = deal_escrow_from_coefficients(patient, coefficients, custodians);
  sodium_memzero(coefficients.data(), coefficients.size() * sizeof(RistrettoScalar));
  return dealing;
}

Result<EscrowDealing> deal_escrow_from_coefficients(const Address& patient,
                                                    std::span<const RistrettoScalar> coefficients,
                                                    std::span<const X25519PublicKey> custodians) {
  ensure_sodium();
  if (custodians.size() > 255) return invalid("an escrow has at most 255 custodians");
  if (coefficients.size() > custodians.size()) return invalid("k must not exceed n");
  EscrowDealing dealing;
  dealing.policy.patient = patient;
  dealing.policy.threshold = static_cast<std::uint8_t>(coefficients.size());
  dealing.policy.custodian_count = static_cast<std::uint8_t>(custodians.size());
  for (const RistrettoScalar& a : coefficients) {
    if (!scalar_is_usable(a)) return invalid("a dealing coefficient must be in 1..L-1");
    dealing.policy.commitments.push_back(mul_base(a).value());
  }
  MEDCHAIN_TRY_STATUS(check_escrow_policy(dealing.policy));
  for (std::size_t i = 1; i <= custodians.size(); ++i) {
    // f(i) by Horner's rule.
    const RistrettoScalar x = scalar_of(static_cast<std::uint8_t>(i));
    RistrettoScalar share = coefficients.back();
    for (std::size_t j = coefficients.size() - 1; j-- > 0;) {
      share = scalar_add(scalar_mul(share, x), coefficients[j]);
    }
    Bytes plain = share_plaintext(dealing.policy, static_cast<std::uint8_t>(i), share);
    Bytes sealed(kSealedEscrowShareSize);
    const int sealed_ok =
        crypto_box_seal(sealed.data(), plain.data(), plain.size(), custodians[i - 1].data());
    sodium_memzero(plain.data(), plain.size());
    sodium_memzero(share.data(), share.size());
    if (sealed_ok != 0) throw std::runtime_error("crypto_box_seal failed");
    dealing.sealed_shares.push_back(std::move(sealed));
  }
  return dealing;
}

Result<EscrowShare> open_escrow_share(ByteView sealed, const EscrowPolicy& policy,
                                      std::uint8_t index, const EncryptionKeyPair& mine) {
  ensure_sodium();
  MEDCHAIN_TRY_STATUS(check_escrow_policy(policy));
  MEDCHAIN_TRY_STATUS(check_index(policy, index));
  if (sealed.size() != kSealedEscrowShareSize) {
    return Error{Errc::kInvalidLength,
                 "a sealed escrow share has " + std::to_string(kSealedEscrowShareSize) + " bytes"};
  }
  Bytes plain(kEscrowSharePlaintextSize);
  if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), mine.public_key.data(),
                           mine.secret.data()) != 0) {
    return decrypt_failed("the escrow share does not open with this custodian's key");
  }
  EscrowShare share;
  share.index = index;
  std::copy(plain.end() - 32, plain.end(), share.secret.bytes.begin());
  // Compare everything but the secret with what the policy says this share must be.
  RistrettoScalar zero;
  Bytes expected = share_plaintext(policy, index, zero);
  const bool bound = std::equal(plain.begin(), plain.end() - 32, expected.begin());
  sodium_memzero(plain.data(), plain.size());
  if (!bound) {
    sodium_memzero(share.secret.data(), share.secret.size());
    return check_failed("the escrow share was dealt for another patient, policy or custodian");
  }
  if (auto verified = verify_escrow_share(policy, share); !verified) {
    sodium_memzero(share.secret.data(), share.secret.size());
    return std::move(verified).error();
  }
  return share;
}

Status verify_escrow_share(const EscrowPolicy& policy, const EscrowShare& share) {
  MEDCHAIN_TRY_STATUS(check_escrow_policy(policy));
  MEDCHAIN_TRY_STATUS(check_index(policy, share.index));
  // libsodium's scalar multiplication ignores the top bit, so s and s + 2^255 have the same
  // image: only the canonical encoding (0 < s < L) is the dealt share.
  if (!scalar_is_usable(share.secret)) {
    return check_failed("escrow share " + std::to_string(share.index) +
                        " is not a canonical scalar");
  }
  MEDCHAIN_TRY(const RistrettoPoint expected, share_commitment(policy.commitments, share.index));
  auto image = mul_base(share.secret);
  if (!image || image.value() != expected) {
    return check_failed("escrow share " + std::to_string(share.index) +
                        " does not match the policy's commitments");
  }
  return {};
}

Result<Bytes> wrap_for_escrow(const ContentKey& key, const KeyBinding& binding,
                              const RistrettoPoint& escrow_key) {
  RistrettoScalar r = random_scalar();
  auto wrapped = wrap_for_escrow_with_ephemeral(key, binding, escrow_key, r);
  sodium_memzero(r.data(), r.size());
  return wrapped;
}

Result<Bytes> wrap_for_escrow_with_ephemeral(const ContentKey& key, const KeyBinding& binding,
                                             const RistrettoPoint& escrow_key,
                                             const RistrettoScalar& ephemeral) {
  ensure_sodium();
  if (!point_is_usable(escrow_key)) return invalid("the escrow key is not a usable point");
  if (!scalar_is_usable(ephemeral)) return invalid("the ephemeral scalar must be in 1..L-1");
  const RistrettoPoint r_point = mul_base(ephemeral).value();
  MEDCHAIN_TRY(RistrettoPoint shared, mul(ephemeral, escrow_key));
  const Bytes bound = version_binding(binding);
  auto wkey = wrap_key(r_point, escrow_key, shared, bound);
  const EscrowProof proof = prove_ephemeral(ephemeral, r_point, escrow_key, bound);
  Bytes wrapped;
  wrapped.reserve(kEscrowWrappedKeySize);
  for (ByteView part : {r_point.view(), proof.challenge.view(), proof.response.view()}) {
    append(wrapped, part);
  }
  wrapped.resize(kEscrowWrappedKeySize);
  crypto_aead_xchacha20poly1305_ietf_encrypt(wrapped.data() + kWrappedProofEnd, nullptr, key.data(),
                                             key.size(), bound.data(), bound.size(), nullptr,
                                             kZeroNonce.data(), wkey.data());
  sodium_memzero(wkey.data(), wkey.size());
  sodium_memzero(shared.data(), shared.size());
  return wrapped;
}

Result<Bytes> make_escrow_partial(const EscrowShare& share, const EscrowPolicy& policy,
                                  ByteView wrapped_key, const KeyBinding& binding,
                                  const X25519PublicKey& doctor) {
  ensure_sodium();
  MEDCHAIN_TRY_STATUS(check_escrow_policy(policy));
  MEDCHAIN_TRY_STATUS(check_index(policy, share.index));
  if (!scalar_is_usable(share.secret)) return invalid("the escrow share is not a usable scalar");
  const Bytes bound = version_binding(binding);
  MEDCHAIN_TRY(const RistrettoPoint r_point,
               proven_ephemeral(wrapped_key, policy.escrow_key(), bound));
  MEDCHAIN_TRY(const RistrettoPoint partial, mul(share.secret, r_point));
  const RistrettoPoint image = mul_base(share.secret).value();
  const EscrowProof proof =
      prove_partial(share.secret, image, r_point, partial, bound, policy.escrow_key(), share.index);

  Bytes plain;
  plain.reserve(kEscrowPartialPlaintextSize);
  append(plain, kEscrowPartialMagic);
  append(plain, ByteView(bound).subspan(4));  // record id ‖ version ‖ digest
  append(plain, policy.escrow_key().view());
  append(plain, r_point.view());
  plain.push_back(share.index);
  for (ByteView part : {partial.view(), proof.challenge.view(), proof.response.view()}) {
    append(plain, part);
  }
  Bytes sealed(kSealedEscrowPartialSize);
  if (crypto_box_seal(sealed.data(), plain.data(), plain.size(), doctor.data()) != 0) {
    throw std::runtime_error("crypto_box_seal failed");
  }
  return sealed;
}

Result<EscrowPartial> open_escrow_partial(ByteView sealed, const EscrowPolicy& policy,
                                          ByteView wrapped_key, const KeyBinding& binding,
                                          const EncryptionKeyPair& mine) {
  ensure_sodium();
  MEDCHAIN_TRY_STATUS(check_escrow_policy(policy));
  const Bytes bound = version_binding(binding);
  MEDCHAIN_TRY(const RistrettoPoint r_point,
               proven_ephemeral(wrapped_key, policy.escrow_key(), bound));
  if (sealed.size() != kSealedEscrowPartialSize) {
    return Error{Errc::kInvalidLength, "a sealed escrow partial has " +
                                           std::to_string(kSealedEscrowPartialSize) + " bytes"};
  }
  Bytes plain(kEscrowPartialPlaintextSize);
  if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), mine.public_key.data(),
                           mine.secret.data()) != 0) {
    return decrypt_failed("the escrow partial does not open with this doctor's key");
  }
  Bytes expected;
  append(expected, kEscrowPartialMagic);
  append(expected, ByteView(bound).subspan(4));
  append(expected, policy.escrow_key().view());
  append(expected, r_point.view());
  if (!std::equal(expected.begin(), expected.end(), plain.begin())) {
    return check_failed("the escrow partial is for another version, escrow key or wrapped key");
  }
  std::size_t at = expected.size();
  EscrowPartial partial;
  partial.index = plain[at++];
  MEDCHAIN_TRY_STATUS(check_index(policy, partial.index));
  const ByteView rest = ByteView(plain).subspan(at);
  partial.point = RistrettoPoint::from_view(rest.subspan(0, 32)).value();
  const EscrowProof proof{RistrettoScalar::from_view(rest.subspan(32, 32)).value(),
                          RistrettoScalar::from_view(rest.subspan(64, 32)).value()};
  MEDCHAIN_TRY(const RistrettoPoint image, share_commitment(policy.commitments, partial.index));
  if (!verify_partial(image, r_point, partial.point, bound, policy.escrow_key(), partial.index,
                      proof)) {
    return check_failed("custodian " + std::to_string(partial.index) +
                        "'s partial does not prove it used its committed share");
  }
  return partial;
}

Result<ContentKey> open_escrow_wrapped_key(ByteView wrapped_key, const KeyBinding& binding,
                                           const EscrowPolicy& policy,
                                           std::span<const EscrowPartial> partials) {
  ensure_sodium();
  MEDCHAIN_TRY_STATUS(check_escrow_policy(policy));
  const Bytes bound = version_binding(binding);
  MEDCHAIN_TRY(const RistrettoPoint r_point,
               proven_ephemeral(wrapped_key, policy.escrow_key(), bound));
  std::set<std::uint8_t> indices;
  for (const EscrowPartial& p : partials) {
    MEDCHAIN_TRY_STATUS(check_index(policy, p.index));
    if (!indices.insert(p.index).second) {
      return invalid("two partials of custodian " + std::to_string(p.index));
    }
  }
  if (partials.size() < policy.threshold) {
    return decrypt_failed("the escrow needs " + std::to_string(policy.threshold) +
                          " partials, got " + std::to_string(partials.size()));
  }
  // S = Σ λ_i·P_i with λ_i = Π_{j≠i} x_j / (x_j − x_i), the Lagrange coefficients at 0.
  RistrettoPoint shared;
  bool first = true;
  for (const EscrowPartial& p : partials) {
    RistrettoScalar numerator = scalar_of(1);
    RistrettoScalar denominator = scalar_of(1);
    for (const EscrowPartial& q : partials) {
      if (q.index == p.index) continue;
      numerator = scalar_mul(numerator, scalar_of(q.index));
      denominator = scalar_mul(denominator, scalar_sub(scalar_of(q.index), scalar_of(p.index)));
    }
    auto term = mul(scalar_mul(numerator, scalar_invert(denominator)), p.point);
    if (!term) return decrypt_failed("an escrow partial is not a usable point");
    if (first) {
      shared = term.value();
      first = false;
    } else if (auto sum = add(shared, term.value())) {
      shared = sum.value();
    } else {
      return decrypt_failed("an escrow partial is not a usable point");
    }
  }
  auto wkey = wrap_key(r_point, policy.escrow_key(), shared, bound);
  sodium_memzero(shared.data(), shared.size());
  ContentKey key;
  const int opened = crypto_aead_xchacha20poly1305_ietf_decrypt(
      key.data(), nullptr, nullptr, wrapped_key.data() + kWrappedProofEnd,
      wrapped_key.size() - kWrappedProofEnd, bound.data(), bound.size(), kZeroNonce.data(),
      wkey.data());
  sodium_memzero(wkey.data(), wkey.size());
  if (opened != 0) {
    return decrypt_failed(
        "the escrow-wrapped key does not open: a wrong partial, or a key of another version");
  }
  return key;
}

}  // namespace medchain::records
