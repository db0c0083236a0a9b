// The emergency escrow story of issue 16, against real processes: anvil, three medchaind nodes
// as custodians with separate databases (one on PostgreSQL, two on SQLite), and a 2-of-3
// policy. The patient deals the escrow, publishes the policy (its hash on chain), deposits each
// custodian's share and wraps each record's content key to the escrow key. A doctor with no
// grant opens an emergency window and decrypts the window's records while one custodian is
// down; after the window closes the custodians refuse them; one custodian's partial alone opens
// nothing; a doctor without a window is refused by every custodian; and every release is audited
// and in the patient's inbox. Driven through the node API with the client-side crypto
// (records/escrow.hpp); cli_escrow_test.cpp plays the same with the `medchain` commands.
#include <gtest/gtest.h>
#include <sodium.h>

#include <medchain/core/hex.hpp>
#include <medchain/custody/custodian.hpp>
#include <medchain/custody/policy_document.hpp>
#include <medchain/eth/address.hpp>
#include <thread>

#include "support/node.hpp"
#include "support/postgres.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

std::string address_text(const Address& address) {
  return eth::to_checksum(address);
}

// Polls `reply` for up to 10 s while `pending` says the node has not indexed what it needs yet
// (each node indexes the chain on its own).
Reply until_indexed(const std::function<Reply()>& reply,
                    const std::function<bool(const Reply&)>& pending) {
  Reply last;
  for (int i = 0; i < 100; ++i) {
    last = reply();
    if (!pending(last)) return last;
    std::this_thread::sleep_for(100ms);
  }
  return last;
}

std::function<bool(const Reply&)> while_status(int status) {
  return [status](const Reply& reply) { return reply.status == status; };
}

// A custodian that has not indexed the doctor or the version yet answers with these.
bool not_indexed_yet(const Reply& reply) {
  return reply.body.is_object() && (reply.body.value("code", "") == "not_verified_doctor" ||
                                    reply.body.value("code", "") == "not_patients_version");
}

Hash32 key_word(const records::X25519PublicKey& key) {
  Hash32 word;
  word.bytes = key.bytes;
  return word;
}

struct Record {
  Hash32 record_id;
  Hash32 digest;
  std::string plaintext;
  Bytes wrapped_key;
};

class EscrowStoryTest : public ::testing::Test {
 protected:
  EscrowStoryTest()
      : dir_(fs::temp_directory_path() /
             ("medchain-escrow-" + to_hex(random_hash()).substr(2, 12))) {
    fs::create_directories(dir_);
    registrar_ = std::make_unique<Party>(ledger_.registrar());
    // Three custodians: accounts with a custodian key on chain, each key held by one node.
    for (int i = 0; i < 3; ++i) {
      const fs::path file = dir_ / ("custodian-" + std::to_string(i) + ".key");
      const records::EncryptionKeyPair key = custody::create_custodian_key(file).value();
      Party account = ledger_.party();
      ledger_.must_call(account, "setCustodianKey", {bytes32(key_word(key.public_key))});
      std::vector<std::string> args{"--custodian-key", file.string()};
      if (i == 0) {
        args.push_back("--database");
        args.push_back(postgres_.create_database());
      }
      nodes_.push_back(std::make_unique<Node>(ledger_, args));
      custodians_.push_back(
          {account.address, key.public_key, "http://" + nodes_.back()->authority()});
    }
    patient_ = std::make_unique<Party>(ledger_.registered_patient());
  }
  ~EscrowStoryTest() override {
    nodes_.clear();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // A verified doctor whose encryption key pair the test holds.
  std::pair<Party, records::EncryptionKeyPair> doctor_with_key() {
    Party doctor = ledger_.party();
    records::EncryptionKeyPair key;
    crypto_box_keypair(key.public_key.data(), key.secret.data());
    ledger_.must_call(*registrar_, "verifyDoctor",
                      {doctor.address, bytes32(random_hash()), bytes32(key_word(key.public_key))});
    return {std::move(doctor), key};
  }

  std::string token(std::size_t node, const Party& party) { return nodes_[node]->token_for(party); }

  // The patient's record on node 0: encrypted, uploaded, recorded on chain, its content key
  // wrapped to the escrow key and stored with the version.
  Record add_record(const std::string& patient_token, const custody::PolicyDocument& document,
                    const Hash32& policy_hash, const std::string& plaintext) {
    const records::ContentKey key = records::new_content_key();
    const Bytes envelope = records::encrypt(key, as_bytes(plaintext));
    const std::string ciphertext(envelope.begin(), envelope.end());
    const Reply uploaded = nodes_[0]->upload(patient_token, patient_->address, "lab", ciphertext);
    EXPECT_EQ(uploaded.status, 201) << uploaded.body.dump();
    Record record{random_hash(), sha256_of(ciphertext), plaintext, {}};
    const Reply added = nodes_[0]->relay(*patient_, "addRecordBySig",
                                         {{"patient", address_text(patient_->address)},
                                          {"recordId", to_hex(record.record_id)},
                                          {"digest", to_hex(record.digest)},
                                          {"nodeId", to_hex(nodes_[0]->node_id())},
                                          {"contentId", to_hex(record.digest)}});
    EXPECT_EQ(added.status, 200) << added.body.dump();
    record.wrapped_key = records::wrap_for_escrow(key, {record.record_id, 1, record.digest},
                                                  document.policy.escrow_key())
                             .value();
    const Reply stored = nodes_[0]->send(
        "PUT", "/v1/records/" + to_hex(record.record_id) + "/versions/1/escrow-key",
        json{{"policyHash", to_hex(policy_hash)}, {"wrappedKey", to_hex(record.wrapped_key)}}
            .dump(),
        patient_token);
    EXPECT_EQ(stored.status, 200) << stored.body.dump();
    return record;
  }

  // Custodian `node`'s answer to `doctor` for `record`, once the node has indexed the version.
  Reply ask_partial(std::size_t node, const std::string& doctor_token, const Record& record,
                    const Hash32& policy_hash) {
    const json body{{"recordId", to_hex(record.record_id)},
                    {"version", 1},
                    {"policyHash", to_hex(policy_hash)},
                    {"wrappedKey", to_hex(record.wrapped_key)}};
    return until_indexed(
        [&] {
          return nodes_[node]->send(
              "POST", "/v1/patients/" + address_text(patient_->address) + "/escrow-partials",
              body.dump(), doctor_token);
        },
        not_indexed_yet);
  }

  fs::path dir_;
  Ledger ledger_{chain::DevChainKind::kAnvil};
  TempPostgres postgres_;
  std::unique_ptr<Party> registrar_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<custody::CustodianEntry> custodians_;
  std::unique_ptr<Party> patient_;
};

TEST_F(EscrowStoryTest, TwoOfThreeCustodiansOpenTheWindowsRecordsForItsDoctorOnly) {
  // The patient deals a 2-of-3 escrow, sets its hash on chain and publishes it on every node.
  std::vector<records::X25519PublicKey> keys;
  for (const custody::CustodianEntry& custodian : custodians_)
    keys.push_back(custodian.encryption_key);
  const records::EscrowDealing dealing = records::deal_escrow(patient_->address, 2, keys).value();
  const custody::PolicyDocument document{dealing.policy, custodians_};
  const std::string text = custody::policy_document_text(document);
  const Hash32 policy_hash = custody::policy_hash(text);
  ledger_.must_call(*patient_, "setEscrowPolicy", {bytes32(policy_hash)});
  std::vector<std::string> patient_tokens;
  const std::string patient_path = "/v1/patients/" + address_text(patient_->address);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    patient_tokens.push_back(token(i, *patient_));
    const Reply published = until_indexed(
        [&] {
          return nodes_[i]->send("PUT", patient_path + "/escrow-policy",
                                 json{{"document", text}}.dump(), patient_tokens[i]);
        },
        while_status(409));
    ASSERT_EQ(published.status, 201) << published.body.dump();
    EXPECT_EQ(published.body["policyHash"], to_hex(policy_hash));
  }
  // A document the chain does not hold is refused.
  const std::string other = custody::policy_document_text(
      {records::deal_escrow(patient_->address, 2, keys).value().policy, custodians_});
  const Reply unset = nodes_[1]->send("PUT", patient_path + "/escrow-policy",
                                      json{{"document", other}}.dump(), patient_tokens[1]);
  EXPECT_EQ(unset.status, 409);
  EXPECT_EQ(unset.body["code"], "escrow_policy_not_on_chain");

  // Each custodian takes its own share, checked against the commitments, and no other.
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Reply wrong =
        nodes_[i]->send("PUT", patient_path + "/escrow-share",
                        json{{"policyHash", to_hex(policy_hash)},
                             {"sealedShare", to_hex(dealing.sealed_shares[(i + 1) % 3])}}
                            .dump(),
                        patient_tokens[i]);
    EXPECT_EQ(wrong.status, 422) << wrong.body.dump();
    EXPECT_EQ(wrong.body["code"], "invalid_share");
    const Reply deposited = nodes_[i]->send(
        "PUT", patient_path + "/escrow-share",
        json{{"policyHash", to_hex(policy_hash)}, {"sealedShare", to_hex(dealing.sealed_shares[i])}}
            .dump(),
        patient_tokens[i]);
    EXPECT_EQ(deposited.status, 201) << deposited.body.dump();
    EXPECT_EQ(deposited.body["index"], i + 1);
  }

  // Two records, their keys wrapped to the escrow. The doctor has no grant.
  std::string large(1 << 20, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i % 251);
  const std::vector<Record> records{
      add_record(patient_tokens[0], document, policy_hash, "lab result: potassium 4.1"),
      add_record(patient_tokens[0], document, policy_hash, large)};
  auto [doctor, doctor_key] = doctor_with_key();
  auto [bystander, bystander_key] = doctor_with_key();
  std::vector<std::string> doctor_tokens;
  std::vector<std::string> bystander_tokens;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    doctor_tokens.push_back(nodes_[i]->token_for(doctor));
    bystander_tokens.push_back(nodes_[i]->token_for(bystander));
  }

  // Without a window: the storage node serves neither key nor ciphertext, no custodian answers.
  const std::string key_path =
      "/v1/records/" + to_hex(records[0].record_id) + "/versions/1/escrow-key";
  EXPECT_EQ(nodes_[0]->get(key_path, doctor_tokens[0]).status, 403);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Reply refused = ask_partial(i, doctor_tokens[i], records[0], policy_hash);
    EXPECT_EQ(refused.status, 403) << refused.body.dump();
    EXPECT_EQ(refused.body["code"], "no_emergency_window");
  }

  // The doctor opens an emergency window. Custodian 2 (index 3) is down.
  nodes_[0]->relay(*patient_, "setEmergencyPolicyBySig",
                   {{"patient", address_text(patient_->address)},
                    {"allowed", true},
                    {"maxWindow", 3600},
                    {"cooldown", 0}});
  const Reply opened = nodes_[0]->relay(
      doctor, "openEmergencyAccessBySig",
      {{"patient", address_text(patient_->address)}, {"duration", 600}, {"reasonCode", 1}});
  ASSERT_EQ(opened.status, 200) << opened.body.dump();
  ASSERT_EQ(nodes_[2]->process().stop(), 0);

  for (const Record& record : records) {
    const Reply wrapped = nodes_[0]->get(
        "/v1/records/" + to_hex(record.record_id) + "/versions/1/escrow-key", doctor_tokens[0]);
    ASSERT_EQ(wrapped.status, 200) << wrapped.body.dump();
    const Bytes wrapped_key = from_hex(wrapped.body["wrappedKey"].get<std::string>()).value();
    EXPECT_EQ(wrapped_key, record.wrapped_key);
    const records::KeyBinding binding{record.record_id, 1, record.digest};
    std::vector<records::EscrowPartial> partials;
    for (std::size_t i = 0; i < 2; ++i) {
      const Reply released = until_indexed(
          [&] { return ask_partial(i, doctor_tokens[i], record, policy_hash); }, while_status(403));
      ASSERT_EQ(released.status, 200) << released.body.dump();
      EXPECT_EQ(released.body["index"], i + 1);
      const Bytes sealed = from_hex(released.body["sealedPartial"].get<std::string>()).value();
      partials.push_back(
          records::open_escrow_partial(sealed, document.policy, wrapped_key, binding, doctor_key)
              .value());
      // One custodian alone opens nothing: its partial is one point of two.
      if (i == 0) {
        EXPECT_EQ(records::open_escrow_wrapped_key(wrapped_key, binding, document.policy, partials)
                      .error()
                      .code,
                  Errc::kDecryptFailed);
      }
    }
    const records::ContentKey key =
        records::open_escrow_wrapped_key(wrapped_key, binding, document.policy, partials).value();
    const Reply blob = nodes_[0]->get("/v1/blobs/" + to_hex(record.digest), doctor_tokens[0]);
    ASSERT_EQ(blob.status, 200);
    EXPECT_EQ(sha256_of(blob.raw), record.digest);
    const Bytes plaintext = records::decrypt(key, as_bytes(blob.raw)).value();
    EXPECT_EQ(std::string(plaintext.begin(), plaintext.end()), record.plaintext);
  }

  // Another verified doctor, without a window, is refused by the custodians still up.
  for (std::size_t i = 0; i < 2; ++i) {
    const Reply refused = ask_partial(i, bystander_tokens[i], records[0], policy_hash);
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.body["code"], "no_emergency_window");
  }

  // Each release is audited and tells the patient's inbox on that custodian.
  const Reply inbox = nodes_[1]->get("/v1/inbox", patient_tokens[1]);
  std::size_t released = 0;
  for (const json& item : inbox.body["items"]) {
    if (item["kind"] == "escrow_released") ++released;
  }
  EXPECT_EQ(released, records.size()) << inbox.body.dump();

  // The window closes: the same doctor gets nothing more.
  nodes_[0]->relay(
      *patient_, "endEmergencyAccessBySig",
      {{"patient", address_text(patient_->address)}, {"doctor", address_text(doctor.address)}});
  for (std::size_t i = 0; i < 2; ++i) {
    const Reply refused =
        until_indexed([&] { return ask_partial(i, doctor_tokens[i], records[1], policy_hash); },
                      while_status(200));
    EXPECT_EQ(refused.status, 403) << refused.body.dump();
    EXPECT_EQ(refused.body["code"], "no_emergency_window");
  }
  EXPECT_EQ(nodes_[0]->get(key_path, doctor_tokens[0]).status, 403);
  EXPECT_EQ(nodes_[0]->get("/v1/blobs/" + to_hex(records[0].digest), doctor_tokens[0]).status, 403);
}

}  // namespace
}  // namespace medchain::test
