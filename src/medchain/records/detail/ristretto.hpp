// Private to records/: the ristretto255 arithmetic the emergency escrow needs, over libsodium
// 1.0.18's crypto_core_ristretto255_* and crypto_scalarmult_ristretto255*. Scalars are reduced
// mod L, little-endian; points are canonical encodings.
#pragma once

#include <initializer_list>
#include <medchain/core/bytes.hpp>
#include <medchain/records/escrow.hpp>
#include <string_view>

namespace medchain::records::detail {

void ensure_sodium();

RistrettoScalar random_scalar();
// The scalar i (a custodian index, a Lagrange abscissa).
RistrettoScalar scalar_of(std::uint8_t i);
RistrettoScalar scalar_add(const RistrettoScalar& a, const RistrettoScalar& b);
RistrettoScalar scalar_sub(const RistrettoScalar& a, const RistrettoScalar& b);
RistrettoScalar scalar_mul(const RistrettoScalar& a, const RistrettoScalar& b);
// REQUIRES: a ≠ 0.
RistrettoScalar scalar_invert(const RistrettoScalar& a);
// True for 0 < s < L: what a dealing coefficient or an ephemeral scalar must be.
bool scalar_is_usable(const RistrettoScalar& s);

// True for a valid encoding other than the identity (which every scalar maps to itself).
bool point_is_usable(const RistrettoPoint& p);

// s·G and s·P; kInvalidArgument for an invalid point, a zero scalar or the identity as result.
Result<RistrettoPoint> mul_base(const RistrettoScalar& s);
Result<RistrettoPoint> mul(const RistrettoScalar& s, const RistrettoPoint& p);
Result<RistrettoPoint> add(const RistrettoPoint& p, const RistrettoPoint& q);
Result<RistrettoPoint> sub(const RistrettoPoint& p, const RistrettoPoint& q);

// BLAKE2b-512 of the domain string and the parts in order, reduced mod L.
RistrettoScalar hash_to_scalar(std::string_view domain, std::initializer_list<ByteView> parts);

// Y_i = Σ C_j·i^j: the public image s_i·G of custodian i's share that the commitments fix.
Result<RistrettoPoint> share_commitment(std::span<const RistrettoPoint> commitments,
                                        std::uint8_t index);

}  // namespace medchain::records::detail
