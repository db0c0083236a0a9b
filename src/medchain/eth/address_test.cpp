#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>

namespace medchain::eth {
namespace {

// The examples of EIP-55.
TEST(Eip55, ChecksumsThePublishedExamples) {
  for (std::string_view expected : {
           "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
           "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
           "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
           "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
           "0x52908400098527886E0F7030069857D2E4169EE7",
           "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
           "0xde709f2102306220921060314715629080e2fb77",
           "0x27b1fdb04752bbc536007a920d24acb045561c26",
       }) {
    auto address = parse_address(expected);
    ASSERT_TRUE(address.ok()) << expected;
    EXPECT_EQ(to_checksum(*address), expected);
  }
}

TEST(Eip55, RejectsABrokenChecksumAndBadShapes) {
  EXPECT_EQ(parse_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").error().code,
            Errc::kBadChecksum);
  EXPECT_EQ(parse_address("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").error().code,
            Errc::kInvalidAddress);
  EXPECT_EQ(parse_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA").error().code,
            Errc::kInvalidAddress);
  EXPECT_EQ(parse_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg").error().code,
            Errc::kInvalidAddress);
  EXPECT_TRUE(parse_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").ok());
  EXPECT_TRUE(parse_address("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED").ok());
}

// Same key and message as `cast wallet sign --private-key 0x4c08...2318 hello`.
TEST(Eip191, SignsAndRecoversPersonalMessages) {
  auto key =
      crypto::parse_private_key(
          from_hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318").value())
          .value();
  auto signature = sign_personal_message(key, as_bytes("hello"));
  auto rsv = signature.to_rsv();
  EXPECT_EQ(to_hex(rsv),
            "0xa5d58782075bdf09490159d634d1aae66a8f6777c7247d2f233e9511cfd7c64c34f288cdbcea5370e486"
            "3fdbe9f4d"
            "86654c2ba1d86589e9ebb64494c649008591b");
  auto signer = recover_personal_signer(as_bytes("hello"), rsv);
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(to_checksum(*signer), "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
  auto other = recover_personal_signer(as_bytes("hellO"), rsv);
  EXPECT_TRUE(!other.ok() || *other != *signer);
}

}  // namespace
}  // namespace medchain::eth
