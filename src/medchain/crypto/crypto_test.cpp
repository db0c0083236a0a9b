#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/core/uint256.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/crypto/sha256.hpp>

namespace medchain::crypto {
namespace {

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}

TEST(Keccak256, MatchesPublishedVectors) {
  EXPECT_EQ(to_hex(keccak256({})),
            "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(to_hex(keccak256(as_bytes("hello"))),
            "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
}

TEST(Keccak256, IncrementalEqualsOneShot) {
  Bytes data(1000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7);
  Keccak256 hasher;
  hasher.update(ByteView(data).first(3)).update(ByteView(data).subspan(3));
  EXPECT_EQ(hasher.finish(), keccak256(data));
  EXPECT_EQ(hasher.finish(), keccak256({}));  // finish() resets
}

TEST(Sha256, MatchesFips180Vector) {
  EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
            "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 hasher;
  hasher.update(as_bytes("a")).update(as_bytes("bc"));
  EXPECT_EQ(hasher.finish(), sha256(as_bytes("abc")));
}

TEST(Hkdf, MatchesRfc5869TestCase1) {
  auto okm = hkdf_sha256(hex("0x0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                         hex("0x000102030405060708090a0b0c"), hex("0xf0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(
      to_hex(*okm),
      "0x3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Hkdf, MatchesRfc5869TestCase3WithoutSalt) {
  auto okm = hkdf_sha256(hex("0x0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), {}, {}, 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(
      to_hex(*okm),
      "0x8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  EXPECT_EQ(hkdf_sha256({}, {}, {}, 255 * 32 + 1).error().code, Errc::kInvalidLength);
}

TEST(Secp256k1, DerivesTheKnownAddress) {
  auto key =
      parse_private_key(hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(to_hex(address_of(*key)), "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
}

TEST(Secp256k1, GeneratedKeysAreValidAndDistinct) {
  const PrivateKey a = generate_private_key();
  const PrivateKey b = generate_private_key();
  EXPECT_NE(a, b);
  EXPECT_TRUE(parse_private_key(a).ok());
  EXPECT_EQ(recover_address(Hash32{}, sign_hash(a, Hash32{})).value(), address_of(a));
}

TEST(Secp256k1, RejectsZeroAndOutOfRangeKeys) {
  EXPECT_EQ(parse_private_key(Bytes(32, 0)).error().code, Errc::kInvalidPrivateKey);
  EXPECT_EQ(parse_private_key(Bytes(32, 0xff)).error().code, Errc::kInvalidPrivateKey);
  EXPECT_EQ(parse_private_key(Bytes(31, 1)).error().code, Errc::kInvalidPrivateKey);
}

TEST(Secp256k1, SignaturesRecoverTheSignerAndAreLowS) {
  const U256 half_order("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
  for (int i = 1; i <= 20; ++i) {
    auto key = parse_private_key(keccak256(as_bytes("key" + std::to_string(i)))).value();
    Hash32 digest = keccak256(as_bytes("message" + std::to_string(i)));
    Signature sig = sign_hash(key, digest);
    EXPECT_LE(from_be(sig.s), half_order);
    auto signer = recover_address(digest, sig);
    ASSERT_TRUE(signer.ok());
    EXPECT_EQ(*signer, address_of(key));
    EXPECT_EQ(sign_hash(key, digest), sig) << "RFC 6979 signatures are deterministic";
  }
}

TEST(Secp256k1, RejectsHighSAndMalformedSignatures) {
  auto key = parse_private_key(keccak256(as_bytes("k"))).value();
  Hash32 digest = keccak256(as_bytes("m"));
  Signature sig = sign_hash(key, digest);
  const U256 order("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  Signature high = sig;
  auto high_s = to_word(order - from_be(sig.s));
  std::copy(high_s.begin(), high_s.end(), high.s.bytes.begin());
  high.recovery_id ^= 1;
  EXPECT_EQ(recover(digest, high).error().code, Errc::kInvalidSignature);

  Signature zero = sig;
  zero.r = Hash32{};
  EXPECT_FALSE(recover(digest, zero).ok());

  auto rsv = sig.to_rsv();
  auto parsed = parse_signature(rsv);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, sig);
  rsv[64] = 29;
  EXPECT_EQ(parse_signature(rsv).error().code, Errc::kInvalidSignature);
  EXPECT_EQ(parse_signature(ByteView(rsv).first(64)).error().code, Errc::kInvalidSignature);
}

}  // namespace
}  // namespace medchain::crypto
