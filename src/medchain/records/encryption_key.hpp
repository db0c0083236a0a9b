// The account's X25519 encryption key (docs/format.md, "Encryption key"): derived from the
// account's EIP-712 signature over a fixed message, so a wallet that only signs (MetaMask) can
// recreate it on any device, and nothing but the account key needs a backup.
#pragma once

#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/eip712.hpp>

namespace medchain::records {

using X25519SecretKey = FixedBytes<32, struct X25519SecretKeyTag>;
using X25519PublicKey = FixedBytes<32, struct X25519PublicKeyTag>;

struct EncryptionKeyPair {
  X25519SecretKey secret;
  X25519PublicKey public_key;  // what the chain holds as the patient's or doctor's key
};

// The typed data the account signs: domain {name "medchain", version "1"} and an
// EncryptionKey{string purpose, address account} message. No chain id: the key is the same on
// every chain.
eth::eip712::TypedData encryption_key_typed_data(const Address& account);

// The key pair from the account's 65-byte signature of encryption_key_typed_data: HKDF-SHA256
// over r || s. Signatures are deterministic (RFC 6979), so the same account always gets the
// same key. kInvalidSignature if the signature does not recover to `account`.
Result<EncryptionKeyPair> encryption_key_from_signature(const Address& account, ByteView signature);

// Signs and derives in one step, for keys the client holds itself.
EncryptionKeyPair derive_encryption_key(const crypto::PrivateKey& key);

}  // namespace medchain::records
