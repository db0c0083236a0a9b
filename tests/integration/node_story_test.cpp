// The access story of issue 6, over HTTP against a real anvil and a real medchaind: every chain
// action is an EIP-712 intent signed here and relayed by the node; every read is authorized by
// the node from its index at the moment of the request, and audited.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/store/audit_tree.hpp>
#include <medchain/store/node_store.hpp>
#include <random>
#include <thread>

#include "support/feed_client.hpp"
#include "support/node.hpp"
#include "support/s3_server.hpp"

namespace medchain::test {
namespace {

using nlohmann::json;

constexpr std::uint16_t kLab = 1 << 1;
constexpr std::uint16_t kImaging = 1 << 2;
constexpr std::uint8_t kRead = 1;

std::string random_content(std::size_t size, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::string content(size, '\0');
  for (char& c : content) c = static_cast<char>(generator());
  return content;
}

std::string address_text(const Address& address) {
  return eth::to_checksum(address);
}

// Where the node keeps its blobs: the story runs on each backend.
enum class Blobs { kDisk, kS3 };

class NodeStoryTest : public ::testing::TestWithParam<Blobs> {
 protected:
  NodeStoryTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    bystander_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.party(/*funded=*/false);  // the node pays for everything it does
  }

  // Relays and expects the node to answer with the indexed result.
  void relay(const Party& signer, std::string_view function, json message) {
    const Reply reply = node_.relay(signer, function, std::move(message));
    ASSERT_EQ(reply.status, 200) << function << ": " << reply.body.dump();
    ASSERT_EQ(reply.body["indexed"], true) << function;
  }

  // Uploads `content` for the patient, records it on chain, and shares its key with `readers`.
  Hash32 add_record(std::string_view category, const std::string& content) {
    const Reply uploaded = node_.upload(patient_token_, patient_.address, category, content);
    EXPECT_EQ(uploaded.status, 201) << uploaded.body.dump();
    if (s3_) {  // the blob is in the bucket, and not on the node's disk
      const std::string hex = uploaded.body["digest"].get<std::string>().substr(2);
      EXPECT_TRUE(std::filesystem::exists(s3_->object_file("story/blobs/" + hex))) << hex;
      EXPECT_FALSE(std::filesystem::exists(node_.dir() / "blobs" / "blobs"));
    }
    const Hash32 record_id = random_hash();
    relay(patient_, "addRecordBySig",
          {{"patient", address_text(patient_.address)},
           {"recordId", to_hex(record_id)},
           {"digest", uploaded.body["digest"]},
           {"nodeId", to_hex(node_.node_id())},
           {"contentId", uploaded.body["digest"]}});
    const json keys{{"keys",
                     {{{"recipient", address_text(patient_.address)}, {"sealedKey", "0x01"}},
                      {{"recipient", address_text(doctor_.address)}, {"sealedKey", "0x02"}}}}};
    const Reply shared = node_.send("PUT", "/v1/records/" + to_hex(record_id) + "/versions/1/keys",
                                    keys.dump(), patient_token_);
    EXPECT_EQ(shared.status, 200) << shared.body.dump();
    return record_id;
  }

  std::string blob_path(const std::string& content) {
    return "/v1/blobs/" +
           to_hex(crypto::sha256(
               ByteView(reinterpret_cast<const std::uint8_t*>(content.data()), content.size())));
  }
  std::string key_path(const Hash32& record_id) {
    return "/v1/records/" + to_hex(record_id) + "/versions/1/key";
  }

  // Whether the doctor may read the blob and the key: both answers must agree.
  bool doctor_reads(const std::string& content, const Hash32& record_id) {
    const Reply blob = node_.get(blob_path(content), doctor_token_);
    const Reply key = node_.get(key_path(record_id), doctor_token_);
    EXPECT_EQ(blob.status == 200, key.status == 200) << blob.status << " vs " << key.status;
    if (blob.status == 200) {
      EXPECT_EQ(blob.raw, content) << "the blob came back changed";
      EXPECT_EQ(key.body["sealedKey"], "0x02");
      return true;
    }
    EXPECT_EQ(blob.status, 403) << blob.raw;
    EXPECT_EQ(blob.body["code"], "forbidden");
    EXPECT_EQ(key.status, 403) << key.raw;
    return false;
  }

  std::vector<std::string> node_args() {
    std::vector<std::string> args{"--anchor-interval", "0.3"};
    if (GetParam() == Blobs::kS3) {
      s3_ = std::make_unique<TempS3Server>();
      for (std::string& arg : s3_->node_args("story")) args.push_back(std::move(arg));
    }
    return args;
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_, doctor_, bystander_, patient_;
  std::unique_ptr<TempS3Server> s3_;
  Node node_{ledger_, node_args()};
  std::string patient_token_, doctor_token_;
};

TEST_P(NodeStoryTest, ConsentDecidesEveryReadAndEveryReadIsAudited) {
  // The patient registers through the node's relayer and signs in; so does the doctor.
  relay(patient_, "registerPatientBySig",
        {{"patient", address_text(patient_.address)}, {"encryptionKey", to_hex(random_hash())}});
  patient_token_ = node_.token_for(patient_);
  doctor_token_ = node_.token_for(doctor_);
  EXPECT_EQ(node_.get("/v1/me", patient_token_).body["patient"], true);
  // Everyone watches the feed; only the patient and the doctor are concerned by what follows.
  FeedClient patient_feed(node_.authority(), patient_token_);
  FeedClient doctor_feed(node_.authority(), doctor_token_);
  FeedClient bystander_feed(node_.authority(), node_.token_for(bystander_));

  const std::string lab = random_content(1024, 1);
  const std::string image = random_content(3 << 20, 2);
  const Hash32 lab_record = add_record("lab", lab);
  const Hash32 image_record = add_record("imaging", image);
  EXPECT_FALSE(doctor_reads(lab, lab_record));
  EXPECT_FALSE(doctor_reads(image, image_record));

  // A corrected lab result: version 2, linked to version 1, through the relay.
  const std::string corrected = random_content(2048, 3);
  const Reply uploaded = node_.upload(patient_token_, patient_.address, "lab", corrected);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body.dump();
  const Reply before = node_.get("/v1/records/" + to_hex(lab_record), patient_token_);
  relay(patient_, "updateRecordBySig",
        {{"recordId", to_hex(lab_record)},
         {"currentHead", before.body["versions"].back()["head"]},
         {"digest", uploaded.body["digest"]},
         {"nodeId", to_hex(node_.node_id())},
         {"contentId", uploaded.body["digest"]}});
  const Reply after = node_.get("/v1/records/" + to_hex(lab_record), patient_token_);
  ASSERT_EQ(after.body["versions"].size(), 2u) << after.body.dump();
  EXPECT_EQ(after.body["versions"][1]["previousDigest"], before.body["versions"][0]["digest"]);
  EXPECT_EQ(after.body["versions"][1]["category"], "lab");
  // Each version carries the time of the block that recorded it, as the chain has it.
  for (const auto& version : after.body["versions"]) {
    const auto block =
        ledger_.client().block_by_number(version["blockNumber"].get<std::uint64_t>()).value();
    ASSERT_TRUE(block.has_value());
    EXPECT_EQ(version["blockTime"], block->timestamp) << version.dump();
  }
  EXPECT_EQ(node_.get("/v1/patients/" + address_text(patient_.address) + "/records", doctor_token_)
                .body["records"]
                .size(),
            0u);

  // The doctor asks for lab and imaging; the patient approves lab only.
  relay(doctor_, "requestAccessBySig",
        {{"patient", address_text(patient_.address)},
         {"scope", kLab | kImaging},
         {"permissions", kRead},
         {"duration", 86400},
         {"reasonHash", to_hex(random_hash())}});
  const Reply pending =
      node_.get("/v1/patients/" + address_text(patient_.address) + "/requests", patient_token_);
  ASSERT_EQ(pending.body["requests"].size(), 1u) << pending.body.dump();
  EXPECT_EQ(pending.body["requests"][0]["status"], "pending");
  relay(patient_, "approveRequestBySig",
        {{"requestId", pending.body["requests"][0]["requestId"]},
         {"scope", kLab},
         {"permissions", kRead},
         {"duration", 86400}});
  EXPECT_TRUE(doctor_reads(lab, lab_record));
  EXPECT_FALSE(doctor_reads(image, image_record));
  const Reply visible =
      node_.get("/v1/patients/" + address_text(patient_.address) + "/records", doctor_token_);
  ASSERT_EQ(visible.body["records"].size(), 1u) << visible.body.dump();
  EXPECT_EQ(visible.body["records"][0]["versions"][0]["category"], "lab");
  EXPECT_EQ(node_.get("/v1/doctors/" + address_text(doctor_.address) + "/grants", doctor_token_)
                .body["grants"][0]["scope"],
            json::array({"lab"}));

  // Widened to imaging: the image comes back byte-identical, whole and by ranges.
  relay(patient_, "grantAccessBySig",
        {{"patient", address_text(patient_.address)},
         {"doctor", address_text(doctor_.address)},
         {"scope", kLab | kImaging},
         {"permissions", kRead},
         {"expiry", std::time(nullptr) + 86400}});
  EXPECT_TRUE(doctor_reads(image, image_record));
  const Reply part =
      node_.send("GET", blob_path(image), "", doctor_token_, {{"Range", "bytes=1000-1999"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.raw, image.substr(1000, 1000));
  EXPECT_EQ(part.response.header("Content-Range"),
            "bytes 1000-1999/" + std::to_string(image.size()));

  // Revoked: nothing more.
  relay(patient_, "revokeAccessBySig",
        {{"patient", address_text(patient_.address)}, {"doctor", address_text(doctor_.address)}});
  EXPECT_FALSE(doctor_reads(lab, lab_record));
  EXPECT_FALSE(doctor_reads(image, image_record));

  // An emergency window opens (the patient allows them) and is closed early by the patient.
  relay(patient_, "setEmergencyPolicyBySig",
        {{"patient", address_text(patient_.address)},
         {"allowed", true},
         {"maxWindow", 3600},
         {"cooldown", 0}});
  relay(doctor_, "openEmergencyAccessBySig",
        {{"patient", address_text(patient_.address)}, {"duration", 600}, {"reasonCode", 1}});
  EXPECT_TRUE(doctor_reads(image, image_record));
  EXPECT_EQ(
      node_.get("/v1/patients/" + address_text(patient_.address) + "/emergency", patient_token_)
          .body["windows"][0]["open"],
      true);
  relay(patient_, "endEmergencyAccessBySig",
        {{"patient", address_text(patient_.address)}, {"doctor", address_text(doctor_.address)}});
  EXPECT_FALSE(doctor_reads(image, image_record));

  // A grant that runs out: both sides hear that it ended, though nothing happened on chain.
  relay(patient_, "grantAccessBySig",
        {{"patient", address_text(patient_.address)},
         {"doctor", address_text(doctor_.address)},
         {"scope", kLab},
         {"permissions", kRead},
         {"expiry", std::time(nullptr) + 2}});
  const auto grant_ended = [&](const json& message) {
    return message["type"] == "expiry" && message["kind"] == "grant" &&
           message["doctor"] == address_text(doctor_.address);
  };
  EXPECT_TRUE(doctor_feed.wait_for(grant_ended, std::chrono::seconds(15)));
  EXPECT_TRUE(patient_feed.wait_for(grant_ended, std::chrono::seconds(5)));
  EXPECT_FALSE(doctor_reads(lab, lab_record));

  // The patient's audit trail holds every read and every refusal of the doctor, in order.
  const Reply audit = node_.get(
      "/v1/audit?patient=" + address_text(patient_.address) + "&limit=1000", patient_token_);
  ASSERT_EQ(audit.status, 200) << audit.body.dump();
  std::vector<std::string> doctor_blob_reads;
  for (const json& entry : audit.body["entries"]) {
    if (entry["actor"] != address_text(doctor_.address) || entry["action"] != "blob.read") continue;
    doctor_blob_reads.push_back(entry["allowed"].get<bool>() ? "allowed" : "denied");
  }
  const std::vector<std::string> expected = {"denied",  "denied",   // before any grant
                                             "allowed", "denied",   // lab approved
                                             "allowed", "allowed",  // widened (+ the range read)
                                             "denied",  "denied",   // revoked
                                             "allowed", "denied",   // emergency open, then closed
                                             "denied"};             // the short grant ran out
  EXPECT_EQ(doctor_blob_reads, expected);
  // The doctor sees their own accesses, and not the patient's trail.
  EXPECT_EQ(node_.get("/v1/audit?patient=" + address_text(patient_.address), doctor_token_).status,
            403);
  EXPECT_GE(node_.get("/v1/audit", doctor_token_).body["entries"].size(), expected.size());

  // The feed told each party of what concerns them, and the bystander of nothing.
  for (const char* event : {"AccessRequested", "RequestApproved", "AccessGranted", "AccessRevoked",
                            "EmergencyAccessOpened", "EmergencyAccessEnded"}) {
    EXPECT_TRUE(patient_feed.wait_for(chain_event(event))) << event;
    EXPECT_TRUE(doctor_feed.wait_for(chain_event(event))) << event;
  }
  EXPECT_TRUE(patient_feed.wait_for(chain_event("RecordAdded")));
  EXPECT_TRUE(patient_feed.wait_for([&](const json& message) {
    return message["type"] == "audit" &&
           message["entry"]["actor"] == address_text(doctor_.address) &&
           message["entry"]["allowed"] == false;
  })) << "the patient hears of refused reads of their records";
  for (const json& message : doctor_feed.messages()) {
    EXPECT_NE(message["type"], "audit") << "the doctor got the patient's audit trail";
    EXPECT_NE(message.value("event", ""), "RecordAdded") << "the doctor heard of a record";
  }
  EXPECT_TRUE(bystander_feed.messages().empty()) << bystander_feed.messages().front().dump();

  // Nothing of the records went on chain: no content, no category, only digests and ids.
  const auto logs = ledger_.client()
                        .get_logs({ledger_.deployment().block,
                                   ledger_.client().block_number().value(),
                                   {ledger_.deployment().address},
                                   {}})
                        .value();
  ASSERT_GT(logs.size(), 10u);
  for (const chain::Log& log : logs) {
    std::string bytes(log.data.begin(), log.data.end());
    for (const Hash32& topic : log.topics) bytes.append(topic.bytes.begin(), topic.bytes.end());
    for (const std::string& content : {lab, image, corrected}) {
      EXPECT_EQ(bytes.find(content.substr(0, 16)), std::string::npos) << "record bytes on chain";
    }
    for (const char* category : {"imaging", "clinical", "mental"}) {
      EXPECT_EQ(bytes.find(category), std::string::npos) << "a category name on chain";
    }
  }

  // The node anchors its log on chain; the patient checks the last refusal against the root the
  // contract holds, trusting nothing the node says but the entry's fields.
  const json last = audit.body["entries"].back();
  const std::string proof_path =
      "/v1/audit/" + std::to_string(last["seq"].get<std::uint64_t>()) + "/proof";
  Reply proof;
  for (int attempt = 0; attempt < 100; ++attempt) {
    proof = node_.get(proof_path, patient_token_);
    if (proof.status != 409) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(proof.status, 200) << proof.body.dump();
  store::AuditEntry entry;
  entry.seq = last["seq"];
  entry.at = last["at"];
  entry.actor = from_hex_fixed<Address>(last["actor"].get<std::string>()).value();
  entry.action = last["action"];
  entry.subject = last["subject"];
  entry.patient = from_hex_fixed<Address>(last["patient"].get<std::string>()).value();
  entry.allowed = last["allowed"];
  const Hash32 previous =
      from_hex_fixed<Hash32>(proof.body["previousHash"].get<std::string>()).value();
  const Hash32 entry_hash = store::NodeStore::audit_hash(previous, entry);
  EXPECT_EQ(to_hex(entry_hash), last["hash"]);
  const std::uint64_t to_seq = proof.body["anchor"]["toSeq"];
  const auto on_chain = ledger_.view("auditRoots", {bytes32(node_.node_id()), word(to_seq)});
  const Bytes root_bytes = on_chain[0].bytes();
  const Hash32 root = Hash32::from_view(root_bytes).value();
  EXPECT_EQ(to_hex(root), proof.body["anchor"]["merkleRoot"]);
  std::vector<Hash32> path;
  for (const json& hash : proof.body["proof"]) {
    path.push_back(from_hex_fixed<Hash32>(hash.get<std::string>()).value());
  }
  const std::uint64_t from_seq = proof.body["anchor"]["fromSeq"];
  EXPECT_TRUE(store::verify_audit_inclusion(entry_hash, entry.seq - from_seq, to_seq - from_seq + 1,
                                            path, root));
  // One changed field and the entry no longer verifies.
  entry.allowed = !entry.allowed;
  EXPECT_FALSE(store::verify_audit_inclusion(store::NodeStore::audit_hash(previous, entry),
                                             entry.seq - from_seq, to_seq - from_seq + 1, path,
                                             root));
}

TEST_P(NodeStoryTest, TurningTheEmergencyPolicyOffShutsEveryOpenWindow) {
  relay(patient_, "registerPatientBySig",
        {{"patient", address_text(patient_.address)}, {"encryptionKey", to_hex(random_hash())}});
  patient_token_ = node_.token_for(patient_);
  doctor_token_ = node_.token_for(doctor_);
  const std::string bystander_token = node_.token_for(bystander_);
  const std::string image = random_content(4096, 4);
  const Hash32 image_record = add_record("imaging", image);
  const auto set_policy = [&](bool allowed) {
    relay(patient_, "setEmergencyPolicyBySig",
          {{"patient", address_text(patient_.address)},
           {"allowed", allowed},
           {"maxWindow", allowed ? 3600 : 0},
           {"cooldown", 0}});
  };
  set_policy(true);
  for (const Party* doctor : {&doctor_, &bystander_}) {
    relay(*doctor, "openEmergencyAccessBySig",
          {{"patient", address_text(patient_.address)}, {"duration", 600}, {"reasonCode", 1}});
  }
  EXPECT_TRUE(doctor_reads(image, image_record));
  EXPECT_EQ(node_.get(blob_path(image), bystander_token).status, 200);

  // One policy change, no EmergencyAccessEnded: both windows end, on chain and in the node.
  set_policy(false);
  EXPECT_FALSE(doctor_reads(image, image_record));
  EXPECT_EQ(node_.get(blob_path(image), bystander_token).status, 403);
  const Reply windows =
      node_.get("/v1/patients/" + address_text(patient_.address) + "/emergency", patient_token_);
  EXPECT_EQ(windows.body["windows"].size(), 0u) << windows.body.dump();
  EXPECT_FALSE(ledger_.view("canRead", {patient_.address, doctor_.address, word(2)})[0].flag());

  // Allowing emergencies again does not reopen them.
  set_policy(true);
  EXPECT_FALSE(doctor_reads(image, image_record));
}

std::string blobs_name(const testing::TestParamInfo<Blobs>& param) {
  return param.param == Blobs::kDisk ? "disk" : "s3";
}

INSTANTIATE_TEST_SUITE_P(Blobs, NodeStoryTest, testing::Values(Blobs::kDisk, Blobs::kS3),
                         blobs_name);

}  // namespace
}  // namespace medchain::test
