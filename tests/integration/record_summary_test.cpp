// Record summaries through the node (docs/api.md, PUT .../versions/{n}/summary): the patient
// or a guardian stores a sealed summary that the node returns with the version in the record
// lists, and with ?include=keys the caller's own sealed key beside it; anyone else is refused,
// every attempt is audited, and malformed bodies get their problem.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/summary.hpp>
#include <thread>

#include "support/node.hpp"

namespace medchain::test {
namespace {

using nlohmann::json;

class RecordSummaryTest : public ::testing::Test {
 protected:
  RecordSummaryTest() {
    Party registrar = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar);
    alice_ = ledger_.registered_patient(/*funded=*/false);
    bob_ = ledger_.registered_patient(/*funded=*/false);
    node_ = std::make_unique<Node>(ledger_);
    alice_token_ = node_->token_for(alice_);
    bob_token_ = node_->token_for(bob_);
    doctor_token_ = node_->token_for(doctor_);
    const Reply uploaded = node_->upload(alice_token_, alice_.address, "lab", blob_);
    EXPECT_EQ(uploaded.status, 201) << uploaded.body.dump();
    const Reply added = node_->relay(alice_, "addRecordBySig",
                                     {{"patient", alice()},
                                      {"recordId", to_hex(record_id_)},
                                      {"digest", to_hex(sha256_of(blob_))},
                                      {"nodeId", to_hex(node_->node_id())},
                                      {"contentId", to_hex(sha256_of(blob_))}});
    EXPECT_EQ(added.status, 200) << added.body.dump();
  }

  std::string alice() const { return eth::to_checksum(alice_.address); }
  std::string summary_path(int version = 1) const {
    return "/v1/records/" + to_hex(record_id_) + "/versions/" + std::to_string(version) +
           "/summary";
  }
  records::KeyBinding binding() const { return {record_id_, 1, sha256_of(blob_)}; }
  Reply put(const std::string& token, const Bytes& sealed) {
    return node_->send("PUT", summary_path(), json{{"summary", to_hex(sealed)}}.dump(), token);
  }
  int audited(const std::string& action, bool allowed) {
    const Reply audit = node_->get("/v1/audit?patient=" + alice() + "&limit=1000", alice_token_);
    EXPECT_EQ(audit.status, 200);
    int count = 0;
    for (const json& entry : audit.body["entries"]) {
      if (entry["action"] == action && entry["allowed"] == allowed) ++count;
    }
    return count;
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party doctor_, alice_, bob_;
  std::unique_ptr<Node> node_;
  std::string alice_token_, bob_token_, doctor_token_;
  const std::string blob_ = "MCR1 alice's lab result, ciphertext in real life";
  const Hash32 record_id_ = random_hash();
  const records::ContentKey key_ = records::new_content_key();
  const records::RecordSummary summary_{"HbA1c", "2026-03-14", "Observation", "Dr. Example"};
};

TEST_F(RecordSummaryTest, ThePatientsSummaryIsListedWithTheVersionAndOpens) {
  const Bytes sealed = records::seal_summary(summary_, key_, binding()).value();
  const Reply stored = put(alice_token_, sealed);
  ASSERT_EQ(stored.status, 200) << stored.body.dump();
  EXPECT_EQ(audited("record.summary", true), 1);

  const Reply listed = node_->get("/v1/patients/" + alice() + "/records", alice_token_);
  ASSERT_EQ(listed.status, 200) << listed.body.dump();
  const json& version = listed.body["records"][0]["versions"][0];
  EXPECT_FALSE(version.contains("sealedKey")) << "keys only when asked for";
  EXPECT_GT(version["blockTime"].get<std::uint64_t>(), 0u);
  const auto opened = records::open_summary(from_hex(version["summary"].get<std::string>()).value(),
                                            key_, binding());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, summary_);
  // The same record, one version: a summary bound to version 1 does not open as version 2's.
  records::KeyBinding moved = binding();
  moved.version = 2;
  EXPECT_FALSE(records::open_summary(sealed, key_, moved).ok());

  const Reply one = node_->get("/v1/records/" + to_hex(record_id_), alice_token_);
  EXPECT_EQ(one.body["versions"][0]["summary"], to_hex(sealed));
}

TEST_F(RecordSummaryTest, KeysInlineAreTheCallersOwnAndAudited) {
  const json keys{{"keys", {{{"recipient", alice()}, {"sealedKey", "0x0102"}}}}};
  ASSERT_EQ(node_
                ->send("PUT", "/v1/records/" + to_hex(record_id_) + "/versions/1/keys", keys.dump(),
                       alice_token_)
                .status,
            200);
  const int reads_before = audited("key.read", true);
  const Reply listed =
      node_->get("/v1/patients/" + alice() + "/records?include=keys", alice_token_);
  ASSERT_EQ(listed.status, 200) << listed.body.dump();
  const json& version = listed.body["records"][0]["versions"][0];
  EXPECT_EQ(version["sealedKey"], "0x0102");
  EXPECT_TRUE(version["summary"].is_null());
  EXPECT_EQ(audited("key.read", true), reads_before + 1);
  // A doctor without a grant lists nothing, so is served no key.
  const Reply doctor =
      node_->get("/v1/patients/" + alice() + "/records?include=keys", doctor_token_);
  ASSERT_EQ(doctor.status, 200);
  EXPECT_TRUE(doctor.body["records"].empty());
  const Reply bad = node_->get("/v1/patients/" + alice() + "/records?include=all", alice_token_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.content_type, "application/problem+json");
}

TEST_F(RecordSummaryTest, OthersAreRefusedAndEveryAttemptIsAudited) {
  const Bytes sealed = records::seal_summary(summary_, key_, binding()).value();
  for (const std::string& token : {bob_token_, doctor_token_}) {
    const Reply refused = put(token, sealed);
    EXPECT_EQ(refused.status, 403) << refused.body.dump();
    EXPECT_EQ(refused.body["code"], "forbidden");
  }
  EXPECT_EQ(audited("record.summary", false), 2);
  EXPECT_EQ(node_->send("PUT", summary_path(), json{{"summary", to_hex(sealed)}}.dump()).status,
            401);
  const Reply listed = node_->get("/v1/patients/" + alice() + "/records", alice_token_);
  EXPECT_TRUE(listed.body["records"][0]["versions"][0]["summary"].is_null());

  // A guardian may write one (and replace the patient's).
  const Reply appointed =
      node_->relay(alice_, "addGuardianBySig",
                   {{"patient", alice()}, {"guardian", eth::to_checksum(bob_.address)}});
  ASSERT_EQ(appointed.status, 200) << appointed.body.dump();
  Reply by_guardian = put(bob_token_, sealed);
  for (int i = 0; i < 50 && by_guardian.status == 403; ++i) {  // the index follows the receipt
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    by_guardian = put(bob_token_, sealed);
  }
  EXPECT_EQ(by_guardian.status, 200) << by_guardian.body.dump();
}

TEST_F(RecordSummaryTest, MalformedSummariesGetTheirProblem) {
  const Bytes sealed = records::seal_summary(summary_, key_, binding()).value();
  Bytes no_magic = sealed;
  no_magic[0] = 'X';
  const std::string too_long = to_hex(Bytes(records::kMaxSealedSummary + 1, 'M'));
  for (const std::string& body :
       {std::string("{not json"), std::string("{}"), std::string(R"({"summary": 5})"),
        std::string(R"({"summary": "zz"})"), std::string(R"({"summary": "0x4d435331"})"),
        json{{"summary", to_hex(no_magic)}}.dump(), json{{"summary", too_long}}.dump()}) {
    const Reply reply = node_->send("PUT", summary_path(), body, alice_token_);
    EXPECT_EQ(reply.status, 400) << body;
    EXPECT_EQ(reply.content_type, "application/problem+json") << body;
  }
  const Reply unknown =
      node_->send("PUT", summary_path(7), json{{"summary", to_hex(sealed)}}.dump(), alice_token_);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["code"], "not_found");
}

}  // namespace
}  // namespace medchain::test
