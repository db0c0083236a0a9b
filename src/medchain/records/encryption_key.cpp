#include <sodium.h>

#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/encryption_key.hpp>
#include <stdexcept>

namespace medchain::records {
namespace {

using nlohmann::json;

constexpr std::string_view kPurpose =
    "Derive my medchain encryption key. Sign this only in an app you trust with your records.";
constexpr std::string_view kSalt = "medchain encryption key";
constexpr std::string_view kInfoFormat1 = "x25519 v1";
constexpr std::string_view kInfoFormat2 = "x25519 v2";

ByteView text_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

json field(std::string_view name, std::string_view type) {
  return {{"name", name}, {"type", type}};
}

}  // namespace

std::string KeyDerivation::describe() const {
  if (format == 1) return "format 1 (bound to no deployment)";
  return "format 2, generation " + std::to_string(generation);
}

eth::eip712::TypedData encryption_key_typed_data(const Address& account,
                                                 const KeyDerivation& derivation) {
  json document{{"primaryType", "EncryptionKey"}};
  if (derivation.format == 1) {
    document["types"] = {
        {"EncryptionKey", {field("purpose", "string"), field("account", "address")}}};
    document["domain"] = {{"name", "medchain"}, {"version", "1"}};
    document["message"] = {{"purpose", kPurpose}, {"account", eth::to_checksum(account)}};
  } else {
    document["types"] = {
        {"EncryptionKey",
         {field("purpose", "string"), field("account", "address"), field("generation", "uint32")}}};
    document["domain"] = {{"name", "medchain"},
                          {"version", "2"},
                          {"chainId", derivation.deployment.chain_id},
                          {"verifyingContract", eth::to_checksum(derivation.deployment.contract)}};
    document["message"] = {{"purpose", kPurpose},
                           {"account", eth::to_checksum(account)},
                           {"generation", derivation.generation}};
  }
  return eth::eip712::typed_data_from_json(document).value();  // a fixed shape
}

Result<EncryptionKeyPair> encryption_key_from_signature(const Address& account,
                                                        const KeyDerivation& derivation,
                                                        ByteView signature) {
  MEDCHAIN_TRY(Hash32 digest,
               eth::eip712::signing_hash(encryption_key_typed_data(account, derivation)));
  MEDCHAIN_TRY(crypto::Signature parsed, crypto::parse_signature(signature));
  MEDCHAIN_TRY(Address signer, crypto::recover_address(digest, parsed));
  if (signer != account) {
    return Error{Errc::kInvalidSignature, "the encryption-key signature is not the account's"};
  }
  const std::string_view info = derivation.format == 1 ? kInfoFormat1 : kInfoFormat2;
  MEDCHAIN_TRY(Bytes seed,
               crypto::hkdf_sha256(signature.first(64), text_bytes(kSalt), text_bytes(info), 32));
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  EncryptionKeyPair pair;
  std::copy(seed.begin(), seed.end(), pair.secret.bytes.begin());
  sodium_memzero(seed.data(), seed.size());
  if (crypto_scalarmult_base(pair.public_key.data(), pair.secret.data()) != 0) {
    throw std::runtime_error("crypto_scalarmult_base failed");
  }
  return pair;
}

EncryptionKeyPair derive_encryption_key(const crypto::PrivateKey& key,
                                        const KeyDerivation& derivation) {
  const Address account = crypto::address_of(key);
  const Hash32 digest =
      eth::eip712::signing_hash(encryption_key_typed_data(account, derivation)).value();
  const auto signature = crypto::sign_hash(key, digest).to_rsv();
  return encryption_key_from_signature(account, derivation, signature).value();
}

std::optional<KeyDerivation> find_derivation(const crypto::PrivateKey& key,
                                             const Deployment& deployment,
                                             const X25519PublicKey& registered) {
  for (std::uint32_t generation = 0; generation < kMaxSearchedGenerations; ++generation) {
    const KeyDerivation candidate = KeyDerivation::format2(deployment, generation);
    if (derive_encryption_key(key, candidate).public_key == registered) return candidate;
  }
  if (derive_encryption_key(key, KeyDerivation::format1()).public_key == registered) {
    return KeyDerivation::format1();
  }
  return std::nullopt;
}

}  // namespace medchain::records
