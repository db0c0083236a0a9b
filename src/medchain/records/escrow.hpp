// Emergency escrow (docs/format.md, "Emergency escrow"): threshold ECDH on ristretto255 so that
// k of n custodians together, and none alone, let an emergency doctor open a record version's
// content key.
//
// The patient's client deals an escrow secret s as Shamir shares s_i = f(i) of a polynomial f of
// degree k - 1 with f(0) = s, seals share i to custodian i's X25519 key, publishes Feldman
// commitments C_j = a_j·G of f's coefficients (C_0 = s·G is the escrow public key E), and forgets
// s. A writer wraps each version's content key to E with an ephemeral point R = r·G. In an
// emergency each custodian returns P_i = s_i·R for that one R, with a Chaum-Pedersen proof that
// it used the share the commitments fix, sealed to the doctor; the doctor interpolates
// S = s·R = r·E from k of them and unwraps. A partial is worth nothing for another version (another
// R, and a wrap proves its writer knew r for its version, so no one can reuse another version's
// R), and a lying custodian is named by its failed proof.
//
// What is NOT here: the node routes that release partials, the on-chain policy, the CLI and web
// flows (issue 16 builds them on this).
#pragma once

#include <cstdint>
#include <medchain/core/bytes.hpp>
#include <medchain/records/encryption_key.hpp>
#include <medchain/records/envelope.hpp>
#include <span>
#include <vector>

namespace medchain::records {

// A ristretto255 group element (canonical 32-byte encoding) and a scalar mod the group order L
// (32 bytes, little-endian, reduced).
using RistrettoPoint = FixedBytes<32, struct RistrettoPointTag>;
using RistrettoScalar = FixedBytes<32, struct RistrettoScalarTag>;

inline constexpr std::array<std::uint8_t, 4> kEscrowShareMagic = {'M', 'C', 'E', 'S'};
inline constexpr std::array<std::uint8_t, 4> kEscrowWrapMagic = {'M', 'C', 'E', 'W'};
inline constexpr std::array<std::uint8_t, 4> kEscrowPartialMagic = {'M', 'C', 'E', 'P'};

// "MCES" ‖ patient (20) ‖ E (32) ‖ index ‖ k ‖ n (one byte each) ‖ s_i (32), sealed: 139 bytes.
inline constexpr std::size_t kEscrowSharePlaintextSize = 4 + 20 + 32 + 3 + 32;
inline constexpr std::size_t kSealedEscrowShareSize =
    kEscrowSharePlaintextSize + crypto_box_SEALBYTES;
// R (32) ‖ proof of r (e ‖ u, 64) ‖ XChaCha20-Poly1305 of the content key (32 + 16): 144 bytes.
inline constexpr std::size_t kEscrowWrappedKeySize = 32 + 64 + 32 + 16;
// "MCEP" ‖ record id ‖ version ‖ digest ‖ E ‖ R ‖ index ‖ P_i ‖ c ‖ z, sealed: 281 bytes.
inline constexpr std::size_t kEscrowPartialPlaintextSize = 4 + 32 + 4 + 32 + 32 + 32 + 1 + 3 * 32;
inline constexpr std::size_t kSealedEscrowPartialSize =
    kEscrowPartialPlaintextSize + crypto_box_SEALBYTES;

// What the patient publishes with the policy (on chain, later): enough for a custodian to check
// its share and for a doctor to check each custodian's partial. Holds no secret.
struct EscrowPolicy {
  Address patient;
  std::uint8_t threshold = 0;               // k: partials needed, 2 ≤ k ≤ n
  std::uint8_t custodian_count = 0;         // n ≤ 255; custodian i (1..n) holds share f(i)
  std::vector<RistrettoPoint> commitments;  // C_0 … C_{k-1}; C_0 is the escrow public key E

  // REQUIRES: commitments not empty.
  const RistrettoPoint& escrow_key() const { return commitments.front(); }
  bool operator==(const EscrowPolicy&) const = default;
};

// kInvalidArgument unless 2 ≤ k ≤ n ≤ 255 and there are k commitments, each a valid point other
// than the identity.
Status check_escrow_policy(const EscrowPolicy& policy);

// The patient's dealing: the policy to publish and share i sealed to custodian i
// (sealed_shares[i - 1], kSealedEscrowShareSize bytes each).
struct EscrowDealing {
  EscrowPolicy policy;
  std::vector<Bytes> sealed_shares;
};

// Deals a fresh escrow secret among `custodians` (their X25519 encryption keys, in custodian
// order) with threshold k. The secret and the polynomial are wiped before returning.
// kInvalidArgument for k or n out of range.
Result<EscrowDealing> deal_escrow(const Address& patient, std::uint8_t threshold,
                                  std::span<const X25519PublicKey> custodians);

// The same from given coefficients a_0 (the secret) … a_{k-1}, for reproducible test vectors
// only: a real dealing must use deal_escrow's random ones. kInvalidArgument as above, or for a
// zero or unreduced coefficient.
Result<EscrowDealing> deal_escrow_from_coefficients(const Address& patient,
                                                    std::span<const RistrettoScalar> coefficients,
                                                    std::span<const X25519PublicKey> custodians);

// One custodian's share, as opened and checked.
struct EscrowShare {
  std::uint8_t index = 0;  // 1..n
  RistrettoScalar secret;  // s_i = f(i)
};

// Custodian `index` opens its sealed share and checks it against the published policy: the
// binding (patient, E, index, k, n) must be the policy's, and s_i·G must equal
// Σ C_j·index^j (Feldman), so a share of another patient or policy, or a wrong one, is refused.
// kDecryptFailed when it is not sealed to `mine` or was altered; kCheckFailed for a binding or
// a commitment that does not match; kInvalidLength for a wrong size; kInvalidArgument for a bad
// policy or index.
Result<EscrowShare> open_escrow_share(ByteView sealed, const EscrowPolicy& policy,
                                      std::uint8_t index, const EncryptionKeyPair& mine);

// The Feldman check alone: s_i·G == Σ C_j·i^j. kCheckFailed when it does not hold.
Status verify_escrow_share(const EscrowPolicy& policy, const EscrowShare& share);

// Wraps a version's content key to the escrow key E, bound to the version (record id, version,
// digest, as a sealed key of format 2): kEscrowWrappedKeySize bytes. Anyone who knows E can wrap
// (the patient's client, a doctor adding a version), so the wrap carries a proof that the writer
// knows r for this very version: custodians answer only for an R proven this way, and an R
// copied from another version's wrap (to get that version's S) is refused. kInvalidArgument if E
// is not a valid point.
Result<Bytes> wrap_for_escrow(const ContentKey& key, const KeyBinding& binding,
                              const RistrettoPoint& escrow_key);

// The same with a given ephemeral scalar r, for reproducible test vectors only.
Result<Bytes> wrap_for_escrow_with_ephemeral(const ContentKey& key, const KeyBinding& binding,
                                             const RistrettoPoint& escrow_key,
                                             const RistrettoScalar& ephemeral);

// A custodian's answer for one wrapped key: P_i = s_i·R with a proof (Chaum-Pedersen) that
// log_G(Y_i) = log_R(P_i), where Y_i = Σ C_j·i^j; sealed with the version's binding, E and R to
// the requesting doctor (kSealedEscrowPartialSize bytes). The caller (the custodian node) decides
// whether the doctor may have it; this only computes it. kInvalidArgument if R is not a valid
// point or is the identity; kCheckFailed if the wrap's proof of r fails for this version (R
// copied from another wrap, or the wrong binding); kInvalidLength for a wrong size.
Result<Bytes> make_escrow_partial(const EscrowShare& share, const EscrowPolicy& policy,
                                  ByteView wrapped_key, const KeyBinding& binding,
                                  const X25519PublicKey& doctor);

// A partial as opened and checked by the doctor.
struct EscrowPartial {
  std::uint8_t index = 0;  // the custodian's
  RistrettoPoint point;    // P_i = s_i·R
};

// The doctor opens one custodian's sealed partial, expecting the version it asked about (from
// the chain), the policy and the wrapped key. kDecryptFailed when it is not sealed to `mine` or
// was altered; kCheckFailed when it is for another version, escrow key or R, or its proof fails
// (the custodian lied; the message names its index), or the wrap's proof of r fails;
// kInvalidLength for a wrong size.
Result<EscrowPartial> open_escrow_partial(ByteView sealed, const EscrowPolicy& policy,
                                          ByteView wrapped_key, const KeyBinding& binding,
                                          const EncryptionKeyPair& mine);

// Combines partials (at least k, distinct indices in 1..n) into S = Σ λ_i·P_i and unwraps the
// content key. kInvalidArgument for a duplicate or out-of-range index or a bad policy;
// kDecryptFailed for fewer than k partials, a wrong partial, or an altered ciphertext; kCheckFailed
// when the wrap's proof of r fails for this version (another version's wrap, or R or the proof
// altered); kInvalidLength for a wrapped key of the wrong size.
Result<ContentKey> open_escrow_wrapped_key(ByteView wrapped_key, const KeyBinding& binding,
                                           const EscrowPolicy& policy,
                                           std::span<const EscrowPartial> partials);

}  // namespace medchain::records
