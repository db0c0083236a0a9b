#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/keccak.hpp>
#include <medchain/custody/policy_document.hpp>

namespace medchain::custody {
namespace {

PolicyDocument dealt_document() {
  std::vector<records::X25519PublicKey> keys(3);
  for (std::size_t i = 0; i < keys.size(); ++i)
    keys[i].bytes.fill(static_cast<std::uint8_t>(i + 1));
  Address patient;
  patient.bytes.fill(0xaa);
  const records::EscrowDealing dealing = records::deal_escrow(patient, 2, keys).value();
  PolicyDocument document{dealing.policy, {}};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    Address account;
    account.bytes.fill(static_cast<std::uint8_t>(0x10 + i));
    document.custodians.push_back(
        {account, keys[i], "http://127.0.0.1:" + std::to_string(9000 + i)});
  }
  return document;
}

TEST(PolicyDocument, RoundTripsThroughItsText) {
  const PolicyDocument document = dealt_document();
  const std::string text = policy_document_text(document);
  EXPECT_EQ(parse_policy_document(text).value(), document);
  EXPECT_EQ(text.rfind("{\"format\":1,\"patient\":\"0xaaaa", 0), 0u) << text;
  EXPECT_EQ(custodian_index(document, document.custodians[1].account), 2);
  Address stranger;
  EXPECT_EQ(custodian_index(document, stranger), 0);
}

TEST(PolicyDocument, TheHashIsKeccakOfTheTextAsPublished) {
  const std::string text = policy_document_text(dealt_document());
  EXPECT_EQ(policy_hash(text), crypto::keccak256(as_bytes(text)));
  // Another formatting of the same JSON parses alike but is another document on chain.
  const std::string spaced = " " + text;
  EXPECT_EQ(parse_policy_document(spaced).value(), parse_policy_document(text).value());
  EXPECT_NE(policy_hash(spaced), policy_hash(text));
}

TEST(PolicyDocument, RefusesMalformedOrInconsistentDocuments) {
  const PolicyDocument good = dealt_document();
  EXPECT_EQ(parse_policy_document("[]").error().code, Errc::kInvalidJson);
  EXPECT_EQ(parse_policy_document("{\"format\":2}").error().code, Errc::kUnsupported);

  PolicyDocument fewer = good;
  fewer.custodians.pop_back();  // n = 3 in the policy... but the count follows the list
  fewer.policy.custodian_count = 2;
  EXPECT_TRUE(parse_policy_document(policy_document_text(fewer)).ok());
  fewer.policy.threshold = 3;  // k > n
  fewer.policy.commitments.push_back(fewer.policy.commitments.back());
  EXPECT_EQ(parse_policy_document(policy_document_text(fewer)).error().code,
            Errc::kInvalidArgument);

  PolicyDocument twice = good;
  twice.custodians[2].account = twice.custodians[0].account;
  EXPECT_EQ(parse_policy_document(policy_document_text(twice)).error().code,
            Errc::kInvalidArgument);

  std::string text = policy_document_text(good);
  const auto at = text.find("\"index\":2");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 9, "\"index\":5");
  EXPECT_EQ(parse_policy_document(text).error().code, Errc::kInvalidArgument);

  std::string bad_point = policy_document_text(good);
  const auto commitments = bad_point.find("\"commitments\":[\"0x");
  bad_point.replace(commitments + 18, 4, "0xzz");
  EXPECT_EQ(parse_policy_document(bad_point).error().code, Errc::kInvalidJson);
}

}  // namespace
}  // namespace medchain::custody
