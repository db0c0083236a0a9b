#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <medchain/crypto/keccak.hpp>
#include <medchain/crypto/secp256k1.hpp>

namespace medchain::crypto {
namespace {

// One context for the whole process. After creation it is only read, which libsecp256k1
// allows from any number of threads.
const secp256k1_context* context() {
  static secp256k1_context* const ctx = [] {
    secp256k1_context* created = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (created == nullptr) throw std::bad_alloc();
    return created;
  }();
  return ctx;
}

}  // namespace

std::array<std::uint8_t, 65> Signature::to_rsv() const noexcept {
  std::array<std::uint8_t, 65> out{};
  std::copy(r.bytes.begin(), r.bytes.end(), out.begin());
  std::copy(s.bytes.begin(), s.bytes.end(), out.begin() + 32);
  out[64] = static_cast<std::uint8_t>(27 + recovery_id);
  return out;
}

Result<PrivateKey> parse_private_key(ByteView bytes) {
  if (bytes.size() != 32) {
    return Error{Errc::kInvalidPrivateKey,
                 "a private key is 32 bytes, got " + std::to_string(bytes.size())};
  }
  if (secp256k1_ec_seckey_verify(context(), bytes.data()) != 1) {
    return Error{Errc::kInvalidPrivateKey, "private key is zero or not below the curve order"};
  }
  return *PrivateKey::from_view(bytes);
}

PrivateKey generate_private_key() {
  for (;;) {
    std::array<std::uint8_t, 32> candidate{};
    if (RAND_bytes(candidate.data(), static_cast<int>(candidate.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    // All but a 2^-128 fraction of 32-byte strings are valid keys.
    if (auto key = parse_private_key(candidate)) return *key;
  }
}

PublicKey public_key_of(const PrivateKey& key) {
  secp256k1_pubkey pubkey;
  // A PrivateKey is validated at construction by parse_private_key; a zero key made by hand is
  // a programming error.
  if (secp256k1_ec_pubkey_create(context(), &pubkey, key.data()) != 1) {
    throw std::invalid_argument("public_key_of: invalid private key");
  }
  std::array<std::uint8_t, 65> serialized{};
  std::size_t len = serialized.size();
  secp256k1_ec_pubkey_serialize(context(), serialized.data(), &len, &pubkey,
                                SECP256K1_EC_UNCOMPRESSED);
  return *PublicKey::from_view(ByteView(serialized).subspan(1));
}

Address address_of(const PublicKey& key) {
  Hash32 hash = keccak256(key.view());
  return *Address::from_view(hash.view().subspan(12));
}

Address address_of(const PrivateKey& key) {
  return address_of(public_key_of(key));
}

Signature sign_hash(const PrivateKey& key, const Hash32& digest) {
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_sign_recoverable(context(), &sig, digest.data(), key.data(), nullptr,
                                       nullptr) != 1) {
    throw std::invalid_argument("sign_hash: invalid private key");
  }
  std::array<std::uint8_t, 64> compact{};
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact.data(), &recid, &sig);
  Signature out;
  std::copy(compact.begin(), compact.begin() + 32, out.r.bytes.begin());
  std::copy(compact.begin() + 32, compact.end(), out.s.bytes.begin());
  out.recovery_id = static_cast<std::uint8_t>(recid);
  return out;
}

Result<PublicKey> recover(const Hash32& digest, const Signature& signature) {
  if (signature.recovery_id > 1) {
    return Error{Errc::kInvalidSignature, "recovery id must be 0 or 1"};
  }
  std::array<std::uint8_t, 64> compact{};
  std::copy(signature.r.bytes.begin(), signature.r.bytes.end(), compact.begin());
  std::copy(signature.s.bytes.begin(), signature.s.bytes.end(), compact.begin() + 32);
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &sig, compact.data(),
                                                          signature.recovery_id) != 1) {
    return Error{Errc::kInvalidSignature, "signature r or s is not below the curve order"};
  }
  // Reject malleable high-s signatures (EIP-2): normalizing changes them only if s is high.
  secp256k1_ecdsa_signature plain;
  secp256k1_ecdsa_recoverable_signature_convert(context(), &plain, &sig);
  if (secp256k1_ecdsa_signature_normalize(context(), nullptr, &plain) == 1) {
    return Error{Errc::kInvalidSignature, "signature s is in the upper half of the order"};
  }
  secp256k1_pubkey pubkey;
  if (secp256k1_ecdsa_recover(context(), &pubkey, &sig, digest.data()) != 1) {
    return Error{Errc::kInvalidSignature, "no public key recovers from this signature"};
  }
  std::array<std::uint8_t, 65> serialized{};
  std::size_t len = serialized.size();
  secp256k1_ec_pubkey_serialize(context(), serialized.data(), &len, &pubkey,
                                SECP256K1_EC_UNCOMPRESSED);
  return *PublicKey::from_view(ByteView(serialized).subspan(1));
}

Result<Address> recover_address(const Hash32& digest, const Signature& signature) {
  MEDCHAIN_TRY(PublicKey key, recover(digest, signature));
  return address_of(key);
}

Result<Signature> parse_signature(ByteView rsv) {
  if (rsv.size() != 65) {
    return Error{Errc::kInvalidSignature,
                 "a signature is 65 bytes (r, s, v), got " + std::to_string(rsv.size())};
  }
  std::uint8_t v = rsv[64];
  if (v >= 27) v = static_cast<std::uint8_t>(v - 27);
  if (v > 1) return Error{Errc::kInvalidSignature, "signature v must be 0, 1, 27 or 28"};
  Signature out;
  std::copy(rsv.begin(), rsv.begin() + 32, out.r.bytes.begin());
  std::copy(rsv.begin() + 32, rsv.begin() + 64, out.s.bytes.begin());
  out.recovery_id = v;
  return out;
}

}  // namespace medchain::crypto
