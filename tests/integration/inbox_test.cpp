// The inbox of issue 18 (item 4), against a real anvil and a real medchaind on SQLite and on
// PostgreSQL: what happens while a patient is signed out is waiting at the next sign-in, and
// the inbox with its read marks survives a sign-out and a restart of the node.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>

#include "support/node.hpp"
#include "support/stores.hpp"

namespace medchain::test {
namespace {

using nlohmann::json;

constexpr std::uint16_t kLab = 1 << 1;
constexpr std::uint8_t kRead = 1;

std::string checksum(const Address& address) {
  return eth::to_checksum(address);
}

// The kinds of the items, newest first.
std::vector<std::string> kinds(const json& inbox) {
  std::vector<std::string> out;
  for (const json& item : inbox["items"]) out.push_back(item["kind"].get<std::string>());
  return out;
}

// The kinds, sorted: chain items carry the block's time and refusals the node's clock, and a
// development chain mining several blocks a second runs ahead of the clock, so the order across
// the two is only "newest first" by those times.
std::vector<std::string> kind_set(const json& inbox) {
  std::vector<std::string> out = kinds(inbox);
  std::sort(out.begin(), out.end());
  return out;
}

bool newest_first(const json& inbox) {
  for (std::size_t i = 1; i < inbox["items"].size(); ++i) {
    if (inbox["items"][i]["at"] > inbox["items"][i - 1]["at"]) return false;
  }
  return true;
}

const json& item_of_kind(const json& inbox, const std::string& kind) {
  for (const json& item : inbox["items"]) {
    if (item["kind"] == kind) return item;
  }
  static const json kNone;
  ADD_FAILURE() << "no " << kind << " in " << inbox.dump();
  return kNone;
}

// Each item's id with its read mark.
std::map<std::string, bool> read_marks(const json& inbox) {
  std::map<std::string, bool> out;
  for (const json& item : inbox["items"]) out[item["id"]] = item["read"].get<bool>();
  return out;
}

class InboxTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  InboxTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.party(/*funded=*/false);
    guardian_ = ledger_.party(/*funded=*/false);
  }

  void relay(const Party& signer, std::string_view function, json message) {
    const Reply reply = node_.relay(signer, function, std::move(message));
    ASSERT_EQ(reply.status, 200) << function << ": " << reply.body.dump();
    ASSERT_EQ(reply.body["indexed"], true) << function;
  }

  json inbox(const std::string& token, const std::string& query = "") {
    const Reply reply = node_.get("/v1/inbox" + query, token);
    EXPECT_EQ(reply.status, 200) << reply.raw;
    return reply.body;
  }

  Reply mark(const std::string& token, const json& body) {
    return node_.send("POST", "/v1/inbox/read", body.dump(), token);
  }

  void sign_out(const std::string& token) {
    EXPECT_EQ(node_.send("POST", "/v1/auth/logout", "", token).status, 204);
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  TestDatabase database_{GetParam()};
  Party registrar_, doctor_, patient_, guardian_;
  Node node_{ledger_, {"--database", database_.location()}};
};

TEST_P(InboxTest, WhatHappenedWhileSignedOutWaitsAndSurvivesARestart) {
  // The patient registers, names a guardian, allows emergencies, stores a lab result, and
  // signs out.
  relay(patient_, "registerPatientBySig",
        {{"patient", checksum(patient_.address)}, {"encryptionKey", to_hex(random_hash())}});
  relay(patient_, "addGuardianBySig",
        {{"patient", checksum(patient_.address)}, {"guardian", checksum(guardian_.address)}});
  relay(patient_, "setEmergencyPolicyBySig",
        {{"patient", checksum(patient_.address)},
         {"allowed", true},
         {"maxWindow", 3600},
         {"cooldown", 0}});
  std::string patient_token = node_.token_for(patient_);
  const Reply uploaded = node_.upload(patient_token, patient_.address, "lab", "ciphertext");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body.dump();
  relay(patient_, "addRecordBySig",
        {{"patient", checksum(patient_.address)},
         {"recordId", to_hex(random_hash())},
         {"digest", uploaded.body["digest"]},
         {"nodeId", to_hex(node_.node_id())},
         {"contentId", uploaded.body["digest"]}});
  EXPECT_EQ(inbox(patient_token)["items"].size(), 0u);
  sign_out(patient_token);

  // Meanwhile the doctor asks for access, is refused a read, and opens an emergency window.
  const std::string doctor_token = node_.token_for(doctor_);
  relay(doctor_, "requestAccessBySig",
        {{"patient", checksum(patient_.address)},
         {"scope", kLab},
         {"permissions", kRead},
         {"duration", 86400},
         {"reasonHash", to_hex(random_hash())}});
  const std::string blob = "/v1/blobs/" + uploaded.body["digest"].get<std::string>();
  EXPECT_EQ(node_.get(blob, doctor_token).status, 403);
  relay(doctor_, "openEmergencyAccessBySig",
        {{"patient", checksum(patient_.address)}, {"duration", 600}, {"reasonCode", 2}});

  // At the next sign-in all three are there, unread, newest first; the guardian has them too;
  // the doctor has none of them.
  patient_token = node_.token_for(patient_);
  const json before = inbox(patient_token);
  ASSERT_EQ(kind_set(before),
            (std::vector<std::string>{"access_denied", "access_requested", "emergency_opened"}))
      << before.dump();
  EXPECT_TRUE(newest_first(before)) << before.dump();
  // The two chain items are ordered by their blocks; the refusal, on the node's clock, may fall
  // anywhere between them.
  const std::vector<std::string> order = kinds(before);
  EXPECT_LT(std::find(order.begin(), order.end(), "emergency_opened") - order.begin(),
            std::find(order.begin(), order.end(), "access_requested") - order.begin())
      << before.dump();
  EXPECT_EQ(before["unread"], 3);
  const json& emergency = item_of_kind(before, "emergency_opened");
  EXPECT_EQ(emergency["doctor"], checksum(doctor_.address));
  EXPECT_EQ(emergency["reasonCode"], 2);
  EXPECT_GT(emergency["until"].get<std::uint64_t>(), emergency["at"].get<std::uint64_t>());
  const json& denial = item_of_kind(before, "access_denied");
  EXPECT_EQ(denial["doctor"], checksum(doctor_.address));
  EXPECT_EQ(denial["action"], "blob.read");
  EXPECT_EQ(denial["id"].get<std::string>().rfind("audit:", 0), 0u);
  const json& request = item_of_kind(before, "access_requested");
  EXPECT_EQ(request["patient"], checksum(patient_.address));
  EXPECT_EQ(request["scope"], json::array({"lab"}));
  EXPECT_EQ(request["duration"], 86400);
  EXPECT_TRUE(request["requestId"].is_string());
  for (const json& item : before["items"]) EXPECT_EQ(item["read"], false);
  EXPECT_EQ(kinds(inbox(node_.token_for(guardian_))), kinds(before));
  EXPECT_EQ(inbox(doctor_token)["items"].size(), 0u);

  // The patient reads the request. Bad input is a problem, and changes nothing.
  const Reply marked = mark(patient_token, {{"ids", {request["id"]}}});
  ASSERT_EQ(marked.status, 200) << marked.raw;
  EXPECT_EQ(marked.body["unread"], 2);
  for (const json& bad : {json{{"ids", {"chain:1"}}}, json{{"ids", json::array()}},
                          json{{"all", false}}, json{{"ids", {request["id"]}}, {"all", true}}}) {
    const Reply refused = mark(patient_token, bad);
    EXPECT_EQ(refused.status, 400) << bad.dump();
    EXPECT_EQ(refused.content_type, "application/problem+json");
  }
  EXPECT_EQ(node_.get("/v1/inbox?limit=0", patient_token).status, 400);
  EXPECT_EQ(node_.get("/v1/inbox?unread=maybe", patient_token).status, 400);
  EXPECT_EQ(node_.get("/v1/inbox").status, 401);
  const json after_mark = inbox(patient_token);
  EXPECT_EQ(after_mark["unread"], 2);

  // Signed out, the node restarted on the same database: everything is as it was.
  sign_out(patient_token);
  node_.restart();
  patient_token = node_.token_for(patient_);
  const json restarted = inbox(patient_token);
  EXPECT_EQ(kinds(restarted), kinds(before));
  EXPECT_EQ(read_marks(restarted), read_marks(after_mark));
  EXPECT_EQ(restarted["unread"], 2);
  EXPECT_EQ(read_marks(restarted)[request["id"]], true);
  const json unread = inbox(patient_token, "?unread=true&limit=1");
  ASSERT_EQ(unread["items"].size(), 1u);
  EXPECT_EQ(unread["items"][0]["id"], restarted["items"][0]["id"]);  // the request is not first
  EXPECT_EQ(unread["unread"], 2);

  // A grant ending within a day: the doctor hears of the grant and both of its end; the
  // guardian's marks are the guardian's own.
  relay(patient_, "grantAccessBySig",
        {{"patient", checksum(patient_.address)},
         {"doctor", checksum(doctor_.address)},
         {"scope", kLab},
         {"permissions", kRead},
         {"expiry", std::time(nullptr) + 3600}});
  const json doctor_inbox = inbox(node_.token_for(doctor_));
  EXPECT_EQ(kinds(doctor_inbox), (std::vector<std::string>{"access_granted", "grant_expiring"}))
      << doctor_inbox.dump();
  EXPECT_EQ(doctor_inbox["items"][0]["until"], doctor_inbox["items"][1]["until"]);
  const json patient_after_grant = inbox(patient_token);
  EXPECT_EQ(item_of_kind(patient_after_grant, "grant_expiring")["read"], false);
  EXPECT_TRUE(newest_first(patient_after_grant)) << patient_after_grant.dump();
  const std::string guardian_token = node_.token_for(guardian_);
  EXPECT_EQ(inbox(guardian_token)["unread"], 3);
  const Reply all = mark(guardian_token, {{"all", true}});
  ASSERT_EQ(all.status, 200) << all.raw;
  EXPECT_EQ(all.body["unread"], 0);
  EXPECT_EQ(inbox(patient_token)["unread"], 3);  // two, and the grant's end
}

INSTANTIATE_TEST_SUITE_P(Stores, InboxTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& param_info) { return store_name(param_info.param); });

}  // namespace
}  // namespace medchain::test
