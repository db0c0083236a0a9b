#include <gtest/gtest.h>
#include <sodium.h>

#include <medchain/core/hex.hpp>
#include <medchain/records/encryption_key.hpp>

namespace medchain::records {
namespace {

const crypto::PrivateKey kKey =
    crypto::parse_private_key(
        from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value())
        .value();

// The deployment of the docs' format 2 vector: `medchain dev`'s chain and first contract.
const Deployment kDeployment{
    31337, from_hex_fixed<Address>("0x5FbDB2315678afecb367f032d93F642f64180aa3").value()};

KeyDerivation generation(std::uint32_t n) {
  return KeyDerivation::format2(kDeployment, n);
}

TEST(EncryptionKey, IsStablePerAccountAndDistinctAcrossAccounts) {
  const EncryptionKeyPair first = derive_encryption_key(kKey, generation(0));
  EXPECT_EQ(derive_encryption_key(kKey, generation(0)).public_key, first.public_key);
  EXPECT_NE(derive_encryption_key(crypto::generate_private_key(), generation(0)).public_key,
            first.public_key);
  X25519PublicKey expected;
  ASSERT_EQ(crypto_scalarmult_base(expected.data(), first.secret.data()), 0);
  EXPECT_EQ(first.public_key, expected);
}

TEST(EncryptionKey, CommittedFormat1Vector) {
  // The vector other clients (the web app) must reproduce; see docs/format.md. Cross-checked
  // with `cast wallet sign --data` for the signature and Python's hmac + cryptography's X25519
  // for the key.
  const auto format1 = KeyDerivation::format1();
  const Hash32 digest =
      eth::eip712::signing_hash(encryption_key_typed_data(crypto::address_of(kKey), format1))
          .value();
  EXPECT_EQ(to_hex(digest), "0x8e4a279f28a911bab3325041172a991160464850a29b5e447fd03ee747f3e6b0");
  EXPECT_EQ(to_hex(derive_encryption_key(kKey, format1).public_key),
            "0x8337d0b65ee06bdf968a44291178ae5ff5563e5ce12fda371091ca0bbf13a563");
}

TEST(EncryptionKey, CommittedFormat2Vector) {
  // docs/format.md's format 2 vector; cross-checked the same way.
  const Hash32 digest =
      eth::eip712::signing_hash(encryption_key_typed_data(crypto::address_of(kKey), generation(0)))
          .value();
  EXPECT_EQ(to_hex(digest), "0x0b696c5c1789f76b309951fbe728907425d4e9f5562b414fb5d3266694101d7d");
  EXPECT_EQ(to_hex(derive_encryption_key(kKey, generation(0)).public_key),
            "0xd09fd68a8c72f0082445e61a6f650a34bcb10b12231f735a3fd69e4d326be057");
}

TEST(EncryptionKey, Format2IsBoundToTheDeploymentAndTheGeneration) {
  const X25519PublicKey bound = derive_encryption_key(kKey, generation(0)).public_key;
  Deployment other_chain = kDeployment;
  other_chain.chain_id = 1;
  Deployment other_contract = kDeployment;
  other_contract.contract.bytes[19] ^= 1;
  EXPECT_NE(derive_encryption_key(kKey, KeyDerivation::format2(other_chain, 0)).public_key, bound);
  EXPECT_NE(derive_encryption_key(kKey, KeyDerivation::format2(other_contract, 0)).public_key,
            bound);
  EXPECT_NE(derive_encryption_key(kKey, generation(1)).public_key, bound);
  EXPECT_NE(derive_encryption_key(kKey, KeyDerivation::format1()).public_key, bound);
}

TEST(EncryptionKey, FindsTheDerivationOfTheRegisteredKey) {
  for (const KeyDerivation& registered : {generation(0), generation(3), KeyDerivation::format1()}) {
    const auto found =
        find_derivation(kKey, kDeployment, derive_encryption_key(kKey, registered).public_key);
    ASSERT_TRUE(found.has_value()) << registered.describe();
    EXPECT_EQ(*found, registered);
  }
  Deployment elsewhere = kDeployment;
  elsewhere.chain_id = 5;
  EXPECT_FALSE(
      find_derivation(kKey, kDeployment,
                      derive_encryption_key(kKey, KeyDerivation::format2(elsewhere, 0)).public_key)
          .has_value());
  EXPECT_FALSE(find_derivation(kKey, kDeployment, X25519PublicKey{}).has_value());
}

TEST(EncryptionKey, GenerationCountsRotations) {
  EXPECT_EQ(KeyDerivation::format1().next_generation(), 1u);
  EXPECT_EQ(generation(0).next_generation(), 1u);
  EXPECT_EQ(generation(7).next_generation(), 8u);
}

TEST(EncryptionKey, RefusesAnotherAccountsSignature) {
  const crypto::PrivateKey other = crypto::generate_private_key();
  const Address account = crypto::address_of(kKey);
  const Hash32 digest =
      eth::eip712::signing_hash(encryption_key_typed_data(account, generation(0))).value();
  const auto signature = crypto::sign_hash(other, digest).to_rsv();
  EXPECT_EQ(encryption_key_from_signature(account, generation(0), signature).error().code,
            Errc::kInvalidSignature);
  EXPECT_EQ(encryption_key_from_signature(account, generation(0), Bytes(10, 1)).error().code,
            Errc::kInvalidSignature);
}

}  // namespace
}  // namespace medchain::records
