#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>
#include <medchain/eth/siwe.hpp>

namespace medchain::eth {
namespace {

// The example message of EIP-4361.
constexpr std::string_view kEipExample =
    "service.invalid wants you to sign in with your Ethereum account:\n"
    "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n"
    "\n"
    "I accept the ServiceOrg Terms of Service: https://service.invalid/tos\n"
    "\n"
    "URI: https://service.invalid/login\n"
    "Version: 1\n"
    "Chain ID: 1\n"
    "Nonce: 32891756\n"
    "Issued At: 2021-09-30T16:25:24Z\n"
    "Resources:\n"
    "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/\n"
    "- https://example.com/my-web2-claim.json";

TEST(Siwe, ParsesAndFormatsTheEipExample) {
  auto message = parse_siwe(kEipExample);
  ASSERT_TRUE(message.ok()) << message.error().message;
  EXPECT_EQ(message->domain, "service.invalid");
  EXPECT_EQ(to_checksum(message->address), "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
  EXPECT_EQ(message->statement,
            "I accept the ServiceOrg Terms of Service: https://service.invalid/tos");
  EXPECT_EQ(message->chain_id, 1u);
  EXPECT_EQ(message->nonce, "32891756");
  EXPECT_EQ(message->resources.size(), 2u);
  EXPECT_EQ(format_siwe(*message), kEipExample);
}

TEST(Siwe, Rfc3339Timestamps) {
  EXPECT_EQ(parse_rfc3339("2021-09-30T16:25:24Z").value(), 1633019124);
  EXPECT_EQ(parse_rfc3339("2021-09-30T18:25:24.123+02:00").value(), 1633019124);
  EXPECT_EQ(format_rfc3339(1633019124), "2021-09-30T16:25:24Z");
  for (std::string_view bad : {"2021-09-30", "2021-13-30T16:25:24Z", "2021-09-30T16:25:24",
                               "2021-09-30T16:25:24Zjunk", "yesterday"}) {
    EXPECT_FALSE(parse_rfc3339(bad).ok()) << bad;
  }
}

class SiweVerify : public testing::Test {
 protected:
  SiweVerify() : key_(crypto::parse_private_key(crypto::keccak256(as_bytes("patient"))).value()) {
    message_.domain = "127.0.0.1:8080";
    message_.address = crypto::address_of(key_);
    message_.statement = "Sign in to medchain";
    message_.uri = "http://127.0.0.1:8080";
    message_.chain_id = 31337;
    message_.nonce = "a1b2c3d4e5f6a7b8";
    message_.issued_at = format_rfc3339(kNow - 5);
    message_.expiration_time = format_rfc3339(kNow + 300);
    expected_ = SiweExpectations{"127.0.0.1:8080", "", 31337, "a1b2c3d4e5f6a7b8", kNow, 60};
  }

  Result<SiweMessage> sign_and_verify(const SiweMessage& message) {
    const std::string text = format_siwe(message);
    return verify_siwe(text, sign_personal_message(key_, as_bytes(text)).to_rsv(), expected_);
  }

  static constexpr std::int64_t kNow = 1'800'000'000;
  crypto::PrivateKey key_;
  SiweMessage message_;
  SiweExpectations expected_;
};

TEST_F(SiweVerify, AcceptsAValidSignIn) {
  auto verified = sign_and_verify(message_);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->address, crypto::address_of(key_));
}

TEST_F(SiweVerify, RejectsEachBrokenRule) {
  auto expect_rejected = [&](SiweMessage m, std::string_view why) {
    auto verified = sign_and_verify(m);
    ASSERT_FALSE(verified.ok()) << why;
    EXPECT_EQ(verified.error().code, Errc::kCheckFailed) << why << ": " << verified.error().message;
  };
  SiweMessage m = message_;
  m.domain = "evil.example";
  expect_rejected(m, "wrong domain");
  m = message_;
  m.uri = "http://evil.example/";
  expect_rejected(m, "wrong uri");
  m = message_;
  m.chain_id = 1;
  expect_rejected(m, "wrong chain");
  m = message_;
  m.nonce = "ffffffffffffffff";
  expect_rejected(m, "unknown nonce");
  m = message_;
  m.expiration_time = format_rfc3339(kNow - 1);
  expect_rejected(m, "expired");
  m = message_;
  m.not_before = format_rfc3339(kNow + 60);
  expect_rejected(m, "not yet valid");
  m = message_;
  m.issued_at = format_rfc3339(kNow + 3600);
  expect_rejected(m, "issued in the future");
}

TEST_F(SiweVerify, RejectsASignatureByAnotherKeyOrOverOtherText) {
  const std::string text = format_siwe(message_);
  auto other = crypto::parse_private_key(crypto::keccak256(as_bytes("intruder"))).value();
  auto by_other =
      verify_siwe(text, sign_personal_message(other, as_bytes(text)).to_rsv(), expected_);
  ASSERT_FALSE(by_other.ok());
  EXPECT_EQ(by_other.error().code, Errc::kCheckFailed);
  auto signature = sign_personal_message(key_, as_bytes(text)).to_rsv();
  auto tampered = verify_siwe(text + " ", signature, expected_);
  EXPECT_FALSE(tampered.ok());
  auto garbage = verify_siwe(text, Bytes(65, 0), expected_);
  EXPECT_FALSE(garbage.ok());
}

TEST(Siwe, RejectsMalformedMessages) {
  const std::string good(kEipExample);
  auto replace = [&](std::string_view from, std::string_view to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  for (const std::string& bad : {
           std::string(""),
           replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
                   "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"),
           replace("Nonce: 32891756", "Nonce: 123"),
           replace("Version: 1", "Version: 2"),
           replace("Chain ID: 1", "Chain ID: one"),
           replace("Issued At: 2021-09-30T16:25:24Z", "Issued At: soon"),
           replace(" wants you to sign in", " would like you to sign in"),
           good + "\nTrailing: line",
       }) {
    auto parsed = parse_siwe(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, Errc::kInvalidArgument);
  }
}

}  // namespace
}  // namespace medchain::eth
