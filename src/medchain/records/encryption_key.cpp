#include <sodium.h>

#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/encryption_key.hpp>
#include <stdexcept>

namespace medchain::records {
namespace {

constexpr std::string_view kPurpose =
    "Derive my medchain encryption key. Sign this only in an app you trust with your records.";
constexpr std::string_view kSalt = "medchain encryption key";
constexpr std::string_view kInfo = "x25519 v1";

ByteView text_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

eth::eip712::TypedData encryption_key_typed_data(const Address& account) {
  const nlohmann::json document{
      {"types",
       {{"EncryptionKey",
         {{{"name", "purpose"}, {"type", "string"}}, {{"name", "account"}, {"type", "address"}}}}}},
      {"primaryType", "EncryptionKey"},
      {"domain", {{"name", "medchain"}, {"version", "1"}}},
      {"message", {{"purpose", kPurpose}, {"account", eth::to_checksum(account)}}},
  };
  return eth::eip712::typed_data_from_json(document).value();  // a constant document
}

Result<EncryptionKeyPair> encryption_key_from_signature(const Address& account,
                                                        ByteView signature) {
  MEDCHAIN_TRY(Hash32 digest, eth::eip712::signing_hash(encryption_key_typed_data(account)));
  MEDCHAIN_TRY(crypto::Signature parsed, crypto::parse_signature(signature));
  MEDCHAIN_TRY(Address signer, crypto::recover_address(digest, parsed));
  if (signer != account) {
    return Error{Errc::kInvalidSignature, "the encryption-key signature is not the account's"};
  }
  MEDCHAIN_TRY(Bytes seed,
               crypto::hkdf_sha256(signature.first(64), text_bytes(kSalt), text_bytes(kInfo), 32));
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  EncryptionKeyPair pair;
  std::copy(seed.begin(), seed.end(), pair.secret.bytes.begin());
  sodium_memzero(seed.data(), seed.size());
  if (crypto_scalarmult_base(pair.public_key.data(), pair.secret.data()) != 0) {
    throw std::runtime_error("crypto_scalarmult_base failed");
  }
  return pair;
}

EncryptionKeyPair derive_encryption_key(const crypto::PrivateKey& key) {
  const Address account = crypto::address_of(key);
  const Hash32 digest = eth::eip712::signing_hash(encryption_key_typed_data(account)).value();
  const auto signature = crypto::sign_hash(key, digest).to_rsv();
  return encryption_key_from_signature(account, signature).value();
}

}  // namespace medchain::records
