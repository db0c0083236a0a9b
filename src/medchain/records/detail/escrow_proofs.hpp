// Private to records/: the two zero-knowledge proofs of the emergency escrow (docs/format.md,
// "Emergency escrow"), both Fiat-Shamir with BLAKE2b-512 challenges reduced mod L and nonces
// derived from the secret and the statement (no random generator to fail or repeat):
//  - the wrapper's proof that it knows r with R = r·G, bound to the version, so nobody can copy
//    another version's R into a wrapped key of their own and have custodians answer for it;
//  - a custodian's Chaum-Pedersen proof that log_G(Y_i) = log_R(P_i), so a lying custodian is
//    caught and named.
#pragma once

#include <medchain/records/escrow.hpp>

namespace medchain::records::detail {

struct EscrowProof {
  RistrettoScalar challenge;  // c (or e)
  RistrettoScalar response;   // z (or u)
};

// REQUIRES: r usable (0 < r < L), R = r·G.
EscrowProof prove_ephemeral(const RistrettoScalar& r, const RistrettoPoint& ephemeral,
                            const RistrettoPoint& escrow, ByteView binding);
bool verify_ephemeral(const RistrettoPoint& ephemeral, const RistrettoPoint& escrow,
                      ByteView binding, const EscrowProof& proof);

// REQUIRES: s_i usable, Y_i = s_i·G, P_i = s_i·R.
EscrowProof prove_partial(const RistrettoScalar& share, const RistrettoPoint& share_image,
                          const RistrettoPoint& ephemeral, const RistrettoPoint& partial,
                          ByteView binding, const RistrettoPoint& escrow, std::uint8_t index);
bool verify_partial(const RistrettoPoint& share_image, const RistrettoPoint& ephemeral,
                    const RistrettoPoint& partial, ByteView binding, const RistrettoPoint& escrow,
                    std::uint8_t index, const EscrowProof& proof);

}  // namespace medchain::records::detail
