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

TEST(EncryptionKey, IsStablePerAccountAndDistinctAcrossAccounts) {
  const EncryptionKeyPair first = derive_encryption_key(kKey);
  EXPECT_EQ(derive_encryption_key(kKey).public_key, first.public_key);
  EXPECT_NE(derive_encryption_key(crypto::generate_private_key()).public_key, first.public_key);
  X25519PublicKey expected;
  ASSERT_EQ(crypto_scalarmult_base(expected.data(), first.secret.data()), 0);
  EXPECT_EQ(first.public_key, expected);
}

TEST(EncryptionKey, CommittedVector) {
  // The vector other clients (the web app) must reproduce; see docs/format.md. Cross-checked
  // with `cast wallet sign --data` for the signature and Python's hmac + cryptography's X25519
  // for the key.
  const Hash32 digest =
      eth::eip712::signing_hash(encryption_key_typed_data(crypto::address_of(kKey))).value();
  EXPECT_EQ(to_hex(digest), "0x8e4a279f28a911bab3325041172a991160464850a29b5e447fd03ee747f3e6b0");
  EXPECT_EQ(to_hex(derive_encryption_key(kKey).public_key),
            "0x8337d0b65ee06bdf968a44291178ae5ff5563e5ce12fda371091ca0bbf13a563");
}

TEST(EncryptionKey, RefusesAnotherAccountsSignature) {
  const crypto::PrivateKey other = crypto::generate_private_key();
  const Address account = crypto::address_of(kKey);
  const Hash32 digest = eth::eip712::signing_hash(encryption_key_typed_data(account)).value();
  const auto signature = crypto::sign_hash(other, digest).to_rsv();
  EXPECT_EQ(encryption_key_from_signature(account, signature).error().code,
            Errc::kInvalidSignature);
  EXPECT_EQ(encryption_key_from_signature(account, Bytes(10, 1)).error().code,
            Errc::kInvalidSignature);
}

}  // namespace
}  // namespace medchain::records
