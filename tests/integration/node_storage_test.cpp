// What a node keeps: uploads count against their patient's quota (--quota-bytes); a blob that
// no on-chain record version names is removed after a grace period (--orphan-grace), audited,
// while blobs that versions name stay; and a version's category comes with its signed
// statement, which only the patient or a guardian corrects.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category.hpp>
#include <medchain/records/category_statement.hpp>
#include <thread>

#include "support/node.hpp"

namespace medchain::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(NodeStorage, UploadsCountAgainstThePatientsQuota) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  const Party alice = ledger.registered_patient(/*funded=*/false);
  const Party bob = ledger.registered_patient(/*funded=*/false);
  Node node(ledger, {"--quota-bytes", "100"});
  const std::string alice_token = node.token_for(alice);
  EXPECT_EQ(node.upload(alice_token, alice.address, "lab", std::string(60, 'a')).status, 201);
  const Reply over = node.upload(alice_token, alice.address, "lab", std::string(41, 'b'));
  EXPECT_EQ(over.status, 413) << over.body.dump();
  EXPECT_EQ(over.body["code"], "quota_exceeded");
  EXPECT_EQ(node.upload(alice_token, alice.address, "lab", std::string(40, 'c')).status, 201);
  // Full now: even a byte is refused; another patient's quota is their own.
  EXPECT_EQ(node.upload(alice_token, alice.address, "lab", "d").status, 413);
  EXPECT_EQ(node.upload(node.token_for(bob), bob.address, "lab", std::string(100, 'e')).status,
            201);
}

TEST(NodeStorage, ABlobNoVersionNamesIsRemovedAfterTheGrace) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  const Party alice = ledger.registered_patient(/*funded=*/false);
  Node node(ledger, {"--orphan-grace", "4"});
  const std::string token = node.token_for(alice);
  const std::string named = "a lab result that reaches the chain";
  const std::string unnamed = "an upload whose record never came";
  ASSERT_EQ(node.upload(token, alice.address, "lab", named).status, 201);
  const Reply added = node.relay(alice, "addRecordBySig",
                                 {{"patient", eth::to_checksum(alice.address)},
                                  {"recordId", to_hex(random_hash())},
                                  {"digest", to_hex(sha256_of(named))},
                                  {"nodeId", to_hex(node.node_id())},
                                  {"contentId", to_hex(sha256_of(named))}});
  ASSERT_EQ(added.status, 200) << added.body.dump();
  ASSERT_EQ(node.upload(token, alice.address, "lab", unnamed).status, 201);
  const std::string unnamed_path = "/v1/blobs/" + to_hex(sha256_of(unnamed));
  const std::string named_path = "/v1/blobs/" + to_hex(sha256_of(named));
  const auto file = node.blob_file(sha256_of(unnamed));
  ASSERT_TRUE(std::filesystem::exists(file)) << file;

  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (std::filesystem::exists(file) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_FALSE(std::filesystem::exists(file)) << "not collected within 30 s";
  EXPECT_EQ(node.get(unnamed_path, token).status, 404);
  EXPECT_EQ(node.get(named_path, token).status, 200);

  // The removal is in the patient's audit trail, by the node itself (the zero address).
  const Reply audit =
      node.get("/v1/audit?patient=" + eth::to_checksum(alice.address) + "&limit=100", token);
  ASSERT_EQ(audit.status, 200) << audit.body.dump();
  std::vector<std::string> collected;
  for (const json& entry : audit.body["entries"]) {
    if (entry["action"] == "blob.collect") collected.push_back(entry.value("subject", ""));
  }
  EXPECT_EQ(collected, std::vector<std::string>{to_hex(sha256_of(unnamed))});
}

class CategoryStatementsTest : public ::testing::Test {
 protected:
  CategoryStatementsTest() { token_ = node_.token_for(patient_); }

  std::string statement(const Party& signer, const std::string& content, std::uint8_t category) {
    const records::CategoryStatement about{patient_.address, sha256_of(content), category};
    return to_hex(records::sign_category(about, {ledger_.chain_id(), ledger_.deployment().address},
                                         signer.key)
                      .value());
  }
  Reply upload(const std::string& content, const std::string& signature) {
    return node_.send("POST", "/v1/blobs", content, token_,
                      {{"Medchain-Patient", to_hex(patient_.address)},
                       {"Medchain-Category", "lab"},
                       {"Medchain-Digest", to_hex(sha256_of(content))},
                       {"Medchain-Category-Signature", signature}},
                      "application/octet-stream");
  }
  // Uploads `content` signed by the patient and records it on chain; the record's path.
  std::string recorded(const std::string& content) {
    const Reply uploaded = upload(content, statement(patient_, content, 1));
    EXPECT_EQ(uploaded.status, 201) << uploaded.body.dump();
    const Hash32 record_id = random_hash();
    const Reply added = node_.relay(patient_, "addRecordBySig",
                                    {{"patient", eth::to_checksum(patient_.address)},
                                     {"recordId", to_hex(record_id)},
                                     {"digest", to_hex(sha256_of(content))},
                                     {"nodeId", to_hex(node_.node_id())},
                                     {"contentId", to_hex(sha256_of(content))}});
    EXPECT_EQ(added.status, 200) << added.body.dump();
    return "/v1/records/" + to_hex(record_id);
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_ = ledger_.registrar();
  Party doctor_ = ledger_.verified_doctor(registrar_);
  Party patient_ = ledger_.registered_patient(/*funded=*/false);
  Node node_{ledger_};  // started once the parties are on chain, so its index knows them
  std::string token_;
};

TEST_F(CategoryStatementsTest, AnUploadCarriesTheUploadersStatementAndNoOneElses) {
  const std::string content = "potassium 4.1 mmol/L";
  const std::string record = recorded(content);
  const Reply listed = node_.get(record, token_);
  ASSERT_EQ(listed.status, 200) << listed.body.dump();
  const json& version = listed.body["versions"][0];
  EXPECT_EQ(version["category"], "lab");
  EXPECT_EQ(version["categorySignature"], statement(patient_, content, 1));
  EXPECT_EQ(version["categorySigner"], eth::to_checksum(patient_.address));

  // Another account's statement, or one of another category, is refused with nothing kept.
  const std::string other = "another result";
  for (const std::string& signature :
       {statement(doctor_, other, 1), statement(patient_, other, 2), std::string("0x1234")}) {
    const Reply refused = upload(other, signature);
    EXPECT_EQ(refused.status, 400) << refused.body.dump();
  }
  EXPECT_EQ(node_.get("/v1/blobs/" + to_hex(sha256_of(other)), token_).status, 404);
}

TEST_F(CategoryStatementsTest, OnlyThePatientOrAGuardianCorrectsACategory) {
  const std::string content = "an x-ray filed as lab by mistake";
  const std::string version = recorded(content) + "/versions/1";
  const auto correction = [&](const Party& signer, std::uint8_t category) {
    return json{{"category", std::string(records::category_name(category))},
                {"signature", statement(signer, content, category)}}
        .dump();
  };
  // A doctor with no say is refused and audited; a statement signed by another is refused.
  const std::string doctor_token = node_.token_for(doctor_);
  EXPECT_EQ(node_.send("PATCH", version, correction(doctor_, 2), doctor_token).status, 403);
  EXPECT_EQ(node_.send("PATCH", version, correction(doctor_, 2), token_).status, 400);
  EXPECT_EQ(node_.send("PATCH", version, R"({"category": "imaging"})", token_).status, 400);

  const Reply corrected = node_.send("PATCH", version, correction(patient_, 2), token_);
  ASSERT_EQ(corrected.status, 200) << corrected.body.dump();
  EXPECT_EQ(corrected.body["category"], "imaging");
  EXPECT_EQ(corrected.body["categorySignature"], statement(patient_, content, 2));

  const Reply audit =
      node_.get("/v1/audit?patient=" + eth::to_checksum(patient_.address) + "&limit=100", token_);
  std::vector<bool> outcomes;
  for (const json& entry : audit.body["entries"]) {
    if (entry["action"] == "record.category") outcomes.push_back(entry.value("allowed", false));
  }
  EXPECT_EQ(outcomes, (std::vector<bool>{false, true}));
}

}  // namespace
}  // namespace medchain::test
