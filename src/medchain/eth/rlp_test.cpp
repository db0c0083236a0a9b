#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/rlp.hpp>

namespace medchain::eth::rlp {
namespace {

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}
Item str(std::string_view text) {
  return Item(Bytes(text.begin(), text.end()));
}
Item list(std::vector<Item> items) {
  return Item(std::move(items));
}

// The examples of the Ethereum wiki's RLP page and the Yellow Paper.
TEST(Rlp, EncodesThePublishedExamples) {
  EXPECT_EQ(to_hex(encode(str("dog"))), "0x83646f67");
  EXPECT_EQ(to_hex(encode(list({str("cat"), str("dog")}))), "0xc88363617483646f67");
  EXPECT_EQ(to_hex(encode(str(""))), "0x80");
  EXPECT_EQ(to_hex(encode(list({}))), "0xc0");
  EXPECT_EQ(to_hex(encode_uint(0)), "0x80");
  EXPECT_EQ(to_hex(encode(Item(Bytes{0x00}))), "0x00");
  EXPECT_EQ(to_hex(encode_uint(15)), "0x0f");
  EXPECT_EQ(to_hex(encode_uint(1024)), "0x820400");
  // The set-theoretical representation of three: [ [], [[]], [ [], [[]] ] ].
  EXPECT_EQ(to_hex(encode(list({list({}), list({list({})}), list({list({}), list({list({})})})}))),
            "0xc7c0c1c0c3c0c1c0");
  const std::string lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
  EXPECT_EQ(to_hex(encode(str(lorem))), "0xb838" + to_hex(as_bytes(lorem), false));
}

TEST(Rlp, LongListsUseTheLongHeader) {
  std::vector<Item> items(30, str("ab"));  // 30 * 3 = 90 payload bytes
  const Bytes encoded = encode(list(items));
  EXPECT_EQ(encoded[0], 0xf8);
  EXPECT_EQ(encoded[1], 90);
  EXPECT_EQ(encode_list(std::vector<Bytes>(30, encode(str("ab")))), encoded);
}

TEST(Rlp, DecodesWhatItEncodes) {
  const Item value = list({str("cat"), list({str(""), Item(Bytes(100, 0xaa)), list({})}),
                           Item(to_compact_be(U256(123456789)))});
  auto decoded = decode(encode(value));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, value);
  EXPECT_EQ(decode_uint(decoded->list()[2]).value(), U256(123456789));
}

TEST(Rlp, RejectsNonCanonicalEncodings) {
  for (std::string_view bad : {
           "0x8100",    // single byte < 0x80 wrapped in a header
           "0x817f",    // ditto
           "0xb801ff",  // long form for a length below 56
           "0xf80100",  // long list form for a length below 56
           "0xb90038"
           "00",  // length with a leading zero byte
       }) {
    auto decoded = decode(hex(bad));
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().code, Errc::kRlpNonCanonical) << bad;
  }
}

TEST(Rlp, RejectsTruncatedAndTrailingInput) {
  EXPECT_EQ(decode({}).error().code, Errc::kRlpTruncated);
  EXPECT_EQ(decode(hex("0x83646f")).error().code, Errc::kRlpTruncated);
  EXPECT_EQ(decode(hex("0xc88363617483646f")).error().code, Errc::kRlpTruncated);
  EXPECT_EQ(decode(hex("0xb9")).error().code, Errc::kRlpTruncated);
  EXPECT_EQ(decode(hex("0xbf0fffffffffffffff")).error().code, Errc::kRlpTruncated);
  EXPECT_EQ(decode(hex("0x81")).error().code, Errc::kRlpTruncated);
  EXPECT_EQ(decode(hex("0x83646f6700")).error().code, Errc::kTrailingBytes);
  // A list whose payload holds an item that overruns it.
  EXPECT_EQ(decode(hex("0xc283646f67")).error().code, Errc::kRlpTruncated);
}

TEST(Rlp, RejectsHostileNesting) {
  Bytes nested;
  for (std::size_t i = 0; i < kMaxDepth + 5; ++i)
    nested = encode_list({nested.empty() ? encode(list({})) : nested});
  auto decoded = decode(nested);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, Errc::kRlpNonCanonical);
}

TEST(Rlp, IntegersAreStrict) {
  EXPECT_EQ(decode_uint(Item(Bytes{0x00, 0x01})).error().code, Errc::kRlpNonCanonical);
  EXPECT_EQ(decode_uint(Item(Bytes(33, 0x01))).error().code, Errc::kOverflow);
  EXPECT_EQ(decode_uint(list({})).error().code, Errc::kRlpUnexpectedType);
  EXPECT_EQ(decode_uint(Item(Bytes{})).value(), U256(0));
  EXPECT_EQ(decode_fixed(Item(Bytes(20, 1)), 20).value().size(), 20u);
  EXPECT_EQ(decode_fixed(Item(Bytes(19, 1)), 20).error().code, Errc::kInvalidLength);
}

}  // namespace
}  // namespace medchain::eth::rlp
