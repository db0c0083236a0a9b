#include <sodium.h>

#include <array>
#include <medchain/records/detail/ristretto.hpp>
#include <stdexcept>

namespace medchain::records::detail {
namespace {

Error not_usable(std::string what) {
  return Error{Errc::kInvalidArgument, std::move(what)};
}

}  // namespace

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

RistrettoScalar random_scalar() {
  ensure_sodium();
  RistrettoScalar s;
  do {
    crypto_core_ristretto255_scalar_random(s.data());
  } while (sodium_is_zero(s.data(), s.size()));
  return s;
}

RistrettoScalar scalar_of(std::uint8_t i) {
  RistrettoScalar s;
  s.bytes[0] = i;
  return s;
}

RistrettoScalar scalar_add(const RistrettoScalar& a, const RistrettoScalar& b) {
  RistrettoScalar z;
  crypto_core_ristretto255_scalar_add(z.data(), a.data(), b.data());
  return z;
}

RistrettoScalar scalar_sub(const RistrettoScalar& a, const RistrettoScalar& b) {
  RistrettoScalar z;
  crypto_core_ristretto255_scalar_sub(z.data(), a.data(), b.data());
  return z;
}

RistrettoScalar scalar_mul(const RistrettoScalar& a, const RistrettoScalar& b) {
  RistrettoScalar z;
  crypto_core_ristretto255_scalar_mul(z.data(), a.data(), b.data());
  return z;
}

RistrettoScalar scalar_invert(const RistrettoScalar& a) {
  RistrettoScalar z;
  if (crypto_core_ristretto255_scalar_invert(z.data(), a.data()) != 0) {
    throw std::logic_error("inverting the scalar 0");
  }
  return z;
}

bool scalar_is_usable(const RistrettoScalar& s) {
  if (sodium_is_zero(s.data(), s.size())) return false;
  // Reducing a value below L gives it back; anything else changes.
  std::array<std::uint8_t, crypto_core_ristretto255_NONREDUCEDSCALARBYTES> wide{};
  std::copy(s.bytes.begin(), s.bytes.end(), wide.begin());
  RistrettoScalar reduced;
  crypto_core_ristretto255_scalar_reduce(reduced.data(), wide.data());
  return reduced == s;
}

bool point_is_usable(const RistrettoPoint& p) {
  ensure_sodium();
  // The identity encodes as 32 zero bytes, its only canonical encoding.
  return crypto_core_ristretto255_is_valid_point(p.data()) == 1 &&
         !sodium_is_zero(p.data(), p.size());
}

Result<RistrettoPoint> mul_base(const RistrettoScalar& s) {
  ensure_sodium();
  RistrettoPoint q;
  if (crypto_scalarmult_ristretto255_base(q.data(), s.data()) != 0) {
    return not_usable("a zero scalar");
  }
  return q;
}

Result<RistrettoPoint> mul(const RistrettoScalar& s, const RistrettoPoint& p) {
  ensure_sodium();
  RistrettoPoint q;
  // Fails for an invalid encoding and for an identity result (a zero scalar or the identity).
  if (crypto_scalarmult_ristretto255(q.data(), s.data(), p.data()) != 0) {
    return not_usable("not a usable ristretto255 point");
  }
  return q;
}

Result<RistrettoPoint> add(const RistrettoPoint& p, const RistrettoPoint& q) {
  RistrettoPoint r;
  if (crypto_core_ristretto255_add(r.data(), p.data(), q.data()) != 0) {
    return not_usable("not a valid ristretto255 point");
  }
  return r;
}

Result<RistrettoPoint> sub(const RistrettoPoint& p, const RistrettoPoint& q) {
  RistrettoPoint r;
  if (crypto_core_ristretto255_sub(r.data(), p.data(), q.data()) != 0) {
    return not_usable("not a valid ristretto255 point");
  }
  return r;
}

RistrettoScalar hash_to_scalar(std::string_view domain, std::initializer_list<ByteView> parts) {
  ensure_sodium();
  crypto_generichash_state state;
  std::array<std::uint8_t, crypto_core_ristretto255_NONREDUCEDSCALARBYTES> wide{};
  crypto_generichash_init(&state, nullptr, 0, wide.size());
  crypto_generichash_update(&state, reinterpret_cast<const std::uint8_t*>(domain.data()),
                            domain.size());
  for (ByteView part : parts) crypto_generichash_update(&state, part.data(), part.size());
  crypto_generichash_final(&state, wide.data(), wide.size());
  RistrettoScalar s;
  crypto_core_ristretto255_scalar_reduce(s.data(), wide.data());
  sodium_memzero(wide.data(), wide.size());
  return s;
}

Result<RistrettoPoint> share_commitment(std::span<const RistrettoPoint> commitments,
                                        std::uint8_t index) {
  if (commitments.empty() || index == 0) return not_usable("no commitments, or index 0");
  const RistrettoScalar x = scalar_of(index);
  RistrettoScalar power = scalar_of(1);
  RistrettoPoint sum = commitments[0];
  for (std::size_t j = 1; j < commitments.size(); ++j) {
    power = scalar_mul(power, x);
    MEDCHAIN_TRY(const RistrettoPoint term, mul(power, commitments[j]));
    MEDCHAIN_TRY(sum, add(sum, term));
  }
  // A sum that lands on the identity is no usable share image (and has negligible probability).
  if (!point_is_usable(sum)) return not_usable("the commitments give the identity");
  return sum;
}

}  // namespace medchain::records::detail
