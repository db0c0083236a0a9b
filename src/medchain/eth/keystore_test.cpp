#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/keystore.hpp>

namespace medchain::eth {
namespace {

// The test vectors of the Web3 Secret Storage Definition (password "testpassword").
constexpr std::string_view kSpecKey =
    "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

constexpr std::string_view kPbkdf2Vector = R"({
  "crypto": {
    "cipher": "aes-128-ctr",
    "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
    "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    "kdf": "pbkdf2",
    "kdfparams": {"c": 262144, "dklen": 32, "prf": "hmac-sha256",
                  "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
    "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
  },
  "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  "version": 3
})";

constexpr std::string_view kScryptVector = R"({
  "crypto": {
    "cipher": "aes-128-ctr",
    "cipherparams": {"iv": "83dbcc02d8ccb40e466191a123791e0e"},
    "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
    "kdf": "scrypt",
    "kdfparams": {"dklen": 32, "n": 262144, "p": 8, "r": 1,
                  "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
    "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
  },
  "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  "version": 3
})";

TEST(Keystore, DecryptsTheSpecPbkdf2Vector) {
  auto key = decrypt_keystore(kPbkdf2Vector, "testpassword");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(to_hex(*key), kSpecKey);
}

TEST(Keystore, DecryptsTheSpecScryptVector) {
  auto key = decrypt_keystore(kScryptVector, "testpassword");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(to_hex(*key), kSpecKey);
}

TEST(Keystore, WrongPasswordIsACheckFailure) {
  auto key = decrypt_keystore(kPbkdf2Vector, "wrong");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, Errc::kCheckFailed);
}

TEST(Keystore, RoundTripsAndDeclaresTheAddress) {
  const auto key = crypto::parse_private_key(crypto::keccak256(as_bytes("k"))).value();
  const std::string file = encrypt_keystore(key, "pässwörd", ScryptParams{1024, 8, 1});
  EXPECT_EQ(decrypt_keystore(file, "pässwörd").value(), key);
  EXPECT_EQ(keystore_address(file).value(), crypto::address_of(key));
  EXPECT_EQ(decrypt_keystore(file, "passwörd").error().code, Errc::kCheckFailed);
}

TEST(Keystore, RejectsMalformedAndHostileDocuments) {
  EXPECT_EQ(decrypt_keystore("not json", "x").error().code, Errc::kInvalidJson);
  EXPECT_EQ(decrypt_keystore("{\"version\":2}", "x").error().code, Errc::kUnsupported);
  std::string huge(kScryptVector);
  huge.replace(huge.find("262144"), 6, "1099511627776");  // 2^40: terabytes of memory
  EXPECT_EQ(decrypt_keystore(huge, "testpassword").error().code, Errc::kUnsupported);
  std::string bad_hex(kPbkdf2Vector);
  bad_hex.replace(bad_hex.find("6087dab2"), 8, "zzzzzzzz");
  EXPECT_EQ(decrypt_keystore(bad_hex, "testpassword").error().code, Errc::kInvalidJson);
}

}  // namespace
}  // namespace medchain::eth
