#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/core/result.hpp>
#include <medchain/core/uint256.hpp>

namespace medchain {
namespace {

TEST(Hex, RoundTripsWithAndWithoutPrefix) {
  auto bytes = from_hex("0xDEADbeef");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(to_hex(*bytes), "0xdeadbeef");
  EXPECT_EQ(to_hex(*bytes, false), "deadbeef");
  EXPECT_EQ(*from_hex("00ff"), (Bytes{0x00, 0xff}));
  EXPECT_EQ(to_hex(Bytes{}), "0x");
}

TEST(Hex, RejectsOddLengthAndBadDigits) {
  EXPECT_EQ(from_hex("0xabc").error().code, Errc::kInvalidHex);
  EXPECT_EQ(from_hex("zz").error().code, Errc::kInvalidHex);
}

TEST(Hex, FixedSizeChecksLength) {
  EXPECT_TRUE(from_hex_fixed<Address>("0x" + std::string(40, 'a')).ok());
  EXPECT_EQ(from_hex_fixed<Address>("0xaa").error().code, Errc::kInvalidLength);
}

TEST(Uint256, ParsesDecimalAndHexWithinRange) {
  EXPECT_EQ(*parse_u256("1234"), U256(1234));
  EXPECT_EQ(*parse_u256("0x4d2"), U256(1234));
  auto max = parse_u256("0x" + std::string(64, 'f'));
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(*max, ~U256(0));
  EXPECT_EQ(parse_u256("0x1" + std::string(64, '0')).error().code, Errc::kOverflow);
  EXPECT_EQ(
      parse_u256("115792089237316195423570985008687907853269984665640564039457584007913129639936")
          .error()
          .code,
      Errc::kOverflow);
  EXPECT_EQ(parse_u256("12a").error().code, Errc::kInvalidNumber);
  EXPECT_EQ(parse_u256("").error().code, Errc::kInvalidNumber);
}

TEST(Uint256, BigEndianForms) {
  EXPECT_TRUE(to_compact_be(0).empty());
  EXPECT_EQ(to_compact_be(0x0400), (Bytes{0x04, 0x00}));
  EXPECT_EQ(from_be(Bytes{0x04, 0x00}), U256(0x400));
  EXPECT_EQ(to_word(1)[31], 1);
  EXPECT_EQ(to_hex_quantity(0), "0x0");
  EXPECT_EQ(to_hex_quantity(0x4d2), "0x4d2");
  EXPECT_EQ(to_decimal(U256(1) << 255),
            "57896044618658097711785492504343953926634992332820282019728792003956564819968");
}

TEST(Result, CarriesValueOrError) {
  Result<int> good = 7;
  Result<int> bad = Error{Errc::kOverflow, "too big"};
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::kOverflow);
  EXPECT_THROW((void)bad.value(), BadResultAccess);
  EXPECT_EQ(errc_name(Errc::kRlpNonCanonical), "rlp_non_canonical");
}

}  // namespace
}  // namespace medchain
