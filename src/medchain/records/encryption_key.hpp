// The account's X25519 encryption key (docs/format.md, "Encryption key"): derived from the
// account's EIP-712 signature over a fixed message, so a wallet that only signs (MetaMask) can
// recreate it on any device, and nothing but the account key needs a backup.
//
// Format 2 binds the message to one deployment (chain id and contract, in the EIP-712 domain)
// and to a generation (0 at registration, one more per rotation), so another site or
// deployment cannot ask for the same signature, and a patient can rotate to a fresh key.
// Format 1 (no deployment, no generation) is how keys were derived before; clients still
// derive it to read data sealed to a key registered that way.
#pragma once

#include <cstdint>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/eip712.hpp>
#include <optional>
#include <string>

namespace medchain::records {

using X25519SecretKey = FixedBytes<32, struct X25519SecretKeyTag>;
using X25519PublicKey = FixedBytes<32, struct X25519PublicKeyTag>;

struct EncryptionKeyPair {
  X25519SecretKey secret;
  X25519PublicKey public_key;  // what the chain holds as the patient's or doctor's key
};

// A medchain deployment: the chain and the contract a format 2 key is bound to.
struct Deployment {
  std::uint64_t chain_id = 0;
  Address contract;
  bool operator==(const Deployment&) const = default;
};

// Which message a key is derived from.
struct KeyDerivation {
  // Format 1: domain {name "medchain", version "1"}, message EncryptionKey{purpose, account}.
  static KeyDerivation format1() { return {1, {}, 0}; }
  // Format 2: domain {name "medchain", version "2", chainId, verifyingContract}, message
  // EncryptionKey{purpose, account, generation}.
  static KeyDerivation format2(const Deployment& deployment, std::uint32_t generation) {
    return {2, deployment, generation};
  }

  std::uint8_t format = 2;
  Deployment deployment;         // format 2 only
  std::uint32_t generation = 0;  // format 2 only

  // The generation a rotation moves to: this one's + 1 (format 2), 1 from format 1 (so the
  // generation always counts the patient's rotations, docs/format.md).
  std::uint32_t next_generation() const { return format == 1 ? 1 : generation + 1; }
  // "format 2, generation 3" or "format 1 (bound to no deployment)", for messages.
  std::string describe() const;

  bool operator==(const KeyDerivation&) const = default;
};

// The typed data the account signs for `derivation`.
eth::eip712::TypedData encryption_key_typed_data(const Address& account,
                                                 const KeyDerivation& derivation);

// The key pair from the account's 65-byte signature of encryption_key_typed_data: HKDF-SHA256
// over r || s (info "x25519 v1" or "x25519 v2" by format). Signatures are deterministic
// (RFC 6979), so the same account always gets the same key. kInvalidSignature if the signature
// does not recover to `account`.
Result<EncryptionKeyPair> encryption_key_from_signature(const Address& account,
                                                        const KeyDerivation& derivation,
                                                        ByteView signature);

// Signs and derives in one step, for keys the client holds itself.
EncryptionKeyPair derive_encryption_key(const crypto::PrivateKey& key,
                                        const KeyDerivation& derivation);

// How many format 2 generations find_derivation tries: far more rotations than anyone makes.
inline constexpr std::uint32_t kMaxSearchedGenerations = 256;

// The derivation of `key` whose public key is `registered` (the key the chain holds), searched
// in the order a client should use: format 2 for `deployment`, generations 0, 1, … up to
// kMaxSearchedGenerations - 1, then format 1. std::nullopt when none matches (the key on chain
// was not derived from this account by a medchain client of this deployment).
std::optional<KeyDerivation> find_derivation(const crypto::PrivateKey& key,
                                             const Deployment& deployment,
                                             const X25519PublicKey& registered);

}  // namespace medchain::records
