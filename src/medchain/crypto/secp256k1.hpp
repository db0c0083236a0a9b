// secp256k1 keys and recoverable ECDSA signatures, as Ethereum uses them, through
// Bitcoin Core's libsecp256k1 (Debian's libsecp256k1 with the recovery module).
//
// Signatures are deterministic (RFC 6979) and always low-s (EIP-2); recovery rejects high-s
// signatures, as Ethereum's ecrecover precompile does not but every transaction rule does.
#pragma once

#include <array>
#include <medchain/core/bytes.hpp>

namespace medchain::crypto {

using PrivateKey = FixedBytes<32, struct PrivateKeyTag>;
// An uncompressed public key without its 0x04 prefix: x || y, 32 bytes each.
using PublicKey = FixedBytes<64, struct PublicKeyTag>;

struct Signature {
  Hash32 r;
  Hash32 s;
  std::uint8_t recovery_id = 0;  // 0 or 1: the parity of the nonce point's y

  // r || s || v with v = 27 + recovery_id: the 65 bytes of eth_sign and EIP-712 signatures.
  std::array<std::uint8_t, 65> to_rsv() const noexcept;
  bool operator==(const Signature&) const = default;
};

// Checks that `bytes` is a usable private key (32 bytes, non-zero, below the curve order).
Result<PrivateKey> parse_private_key(ByteView bytes);

// A fresh key from the operating system's random source (OpenSSL's RAND_bytes).
PrivateKey generate_private_key();

PublicKey public_key_of(const PrivateKey& key);

// The Ethereum address of a public key: the last 20 bytes of keccak256(x || y).
Address address_of(const PublicKey& key);
Address address_of(const PrivateKey& key);

// Signs a 32-byte digest (not a message: hash it first).
Signature sign_hash(const PrivateKey& key, const Hash32& digest);

// The public key that made `signature` over `digest`. kInvalidSignature if r or s is zero
// or out of range, s is high, or no key recovers.
Result<PublicKey> recover(const Hash32& digest, const Signature& signature);
Result<Address> recover_address(const Hash32& digest, const Signature& signature);

// Parses r || s || v (65 bytes) with v in {0, 1, 27, 28}.
Result<Signature> parse_signature(ByteView rsv);

}  // namespace medchain::crypto
