#include <array>
#include <medchain/records/detail/escrow_proofs.hpp>
#include <medchain/records/detail/ristretto.hpp>

namespace medchain::records::detail {
namespace {

constexpr std::string_view kEphemeralDomain = "medchain escrow ephemeral v1";
constexpr std::string_view kEphemeralNonceDomain = "medchain escrow ephemeral nonce v1";
constexpr std::string_view kPartialDomain = "medchain escrow dleq v1";
constexpr std::string_view kPartialNonceDomain = "medchain escrow dleq nonce v1";

RistrettoScalar ephemeral_challenge(const RistrettoPoint& ephemeral, const RistrettoPoint& t,
                                    const RistrettoPoint& escrow, ByteView binding) {
  return hash_to_scalar(kEphemeralDomain, {ephemeral.view(), t.view(), escrow.view(), binding});
}

RistrettoScalar partial_challenge(const RistrettoPoint& share_image,
                                  const RistrettoPoint& ephemeral, const RistrettoPoint& partial,
                                  const RistrettoPoint& a1, const RistrettoPoint& a2,
                                  ByteView binding, const RistrettoPoint& escrow,
                                  std::uint8_t index) {
  const std::array<std::uint8_t, 1> index_byte{index};
  return hash_to_scalar(kPartialDomain, {share_image.view(), ephemeral.view(), partial.view(),
                                         a1.view(), a2.view(), binding, escrow.view(), index_byte});
}

// x·B − c·Y, or nothing when a point is unusable or the result is the identity.
Result<RistrettoPoint> response_minus(const RistrettoScalar& x, const RistrettoPoint* base,
                                      const RistrettoScalar& c, const RistrettoPoint& y) {
  auto xb = base == nullptr ? mul_base(x) : mul(x, *base);
  auto cy = mul(c, y);
  if (!xb || !cy) return Error{Errc::kCheckFailed, "unusable proof"};
  return sub(xb.value(), cy.value());
}

bool usable(const EscrowProof& proof) {
  return scalar_is_usable(proof.challenge) && scalar_is_usable(proof.response);
}

}  // namespace

EscrowProof prove_ephemeral(const RistrettoScalar& r, const RistrettoPoint& ephemeral,
                            const RistrettoPoint& escrow, ByteView binding) {
  RistrettoScalar t = hash_to_scalar(kEphemeralNonceDomain, {r.view(), escrow.view(), binding});
  const RistrettoPoint t_point = mul_base(t).value();
  EscrowProof proof;
  proof.challenge = ephemeral_challenge(ephemeral, t_point, escrow, binding);
  proof.response = scalar_add(t, scalar_mul(proof.challenge, r));
  sodium_memzero(t.data(), t.size());
  return proof;
}

bool verify_ephemeral(const RistrettoPoint& ephemeral, const RistrettoPoint& escrow,
                      ByteView binding, const EscrowProof& proof) {
  if (!usable(proof) || !point_is_usable(ephemeral)) return false;
  // T = u·G − e·R must hash back to e.
  auto t_point = response_minus(proof.response, nullptr, proof.challenge, ephemeral);
  return t_point &&
         ephemeral_challenge(ephemeral, t_point.value(), escrow, binding) == proof.challenge;
}

EscrowProof prove_partial(const RistrettoScalar& share, const RistrettoPoint& share_image,
                          const RistrettoPoint& ephemeral, const RistrettoPoint& partial,
                          ByteView binding, const RistrettoPoint& escrow, std::uint8_t index) {
  RistrettoScalar w =
      hash_to_scalar(kPartialNonceDomain, {share.view(), ephemeral.view(), binding});
  const RistrettoPoint a1 = mul_base(w).value();
  const RistrettoPoint a2 = mul(w, ephemeral).value();
  EscrowProof proof;
  proof.challenge =
      partial_challenge(share_image, ephemeral, partial, a1, a2, binding, escrow, index);
  proof.response = scalar_add(w, scalar_mul(proof.challenge, share));
  sodium_memzero(w.data(), w.size());
  return proof;
}

bool verify_partial(const RistrettoPoint& share_image, const RistrettoPoint& ephemeral,
                    const RistrettoPoint& partial, ByteView binding, const RistrettoPoint& escrow,
                    std::uint8_t index, const EscrowProof& proof) {
  if (!usable(proof) || !point_is_usable(partial)) return false;
  // A1 = z·G − c·Y_i and A2 = z·R − c·P_i must hash back to c.
  auto a1 = response_minus(proof.response, nullptr, proof.challenge, share_image);
  auto a2 = response_minus(proof.response, &ephemeral, proof.challenge, partial);
  return a1 && a2 &&
         partial_challenge(share_image, ephemeral, partial, a1.value(), a2.value(), binding, escrow,
                           index) == proof.challenge;
}

}  // namespace medchain::records::detail
