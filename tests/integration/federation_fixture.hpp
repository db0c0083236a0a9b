// The federation tests' fixture: a dev chain with a registrar, a verified doctor and a patient,
// and the steps each federation story repeats: upload through a node with the patient's category
// statement, record the version on chain, grant the doctor, register a storage node, sign a peer
// request as a node's operator.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <medchain/api/http_server.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/federation/peer_request.hpp>
#include <medchain/records/category_statement.hpp>
#include <medchain/replication/placement.hpp>
#include <sstream>
#include <thread>

#include "support/node.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"

namespace medchain::test {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::uint8_t kLabCategory = 1;
constexpr std::uint16_t kLabScope = 1 << 1;
constexpr std::uint8_t kRead = 1;

inline std::string text_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

inline std::string all_logs(const std::filesystem::path& dir) {
  std::string logs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".log") logs += text_of(entry.path());
  }
  return logs;
}

// Polls `done` every 100 ms for up to `limit`.
template <class Done>
bool eventually(Done done, std::chrono::milliseconds limit = 30s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done();
}

// Does `node` keep the blob of `digest`? Looked for on the disk, so that asking does not make a
// --peer-fetch node fetch it.
inline bool keeps_blob(const Node& node, const Hash32& digest) {
  return std::filesystem::exists(node.blob_file(digest));
}

// The nodes of `nodes` (all the registered ones) that placement names for a version of
// `record_id` homed on `home`, with `replicas` copies.
inline std::vector<Node*> holders_among(const std::vector<Node*>& nodes, const Hash32& record_id,
                                        const Hash32& home, std::size_t replicas) {
  std::vector<Hash32> registered;
  for (const Node* node : nodes) registered.push_back(node->node_id());
  std::vector<Node*> chosen;
  for (Node* node : nodes) {
    if (replication::holds(node->node_id(), record_id, home, registered, replicas))
      chosen.push_back(node);
  }
  return chosen;
}

class FederationTest : public ::testing::Test {
 protected:
  FederationTest() {
    registrar_ = ledger_.registrar();
    doctor_ = ledger_.verified_doctor(registrar_);
    patient_ = ledger_.registered_patient(/*funded=*/false);
  }

  records::StatementDomain domain() const {
    return {ledger_.chain_id(), ledger_.deployment().address};
  }

  std::string statement(const Party& signer, const Hash32& digest, std::uint8_t category) {
    return to_hex(
        records::sign_category({patient_.address, digest, category}, domain(), signer.key).value());
  }

  // Uploads `content` through `node` with the patient's category statement, records it on chain
  // as homed on `node`, and shares sealed keys with the patient and the doctor; the record id.
  Hash32 add_record(Node& node, const std::string& token, const std::string& content) {
    const Hash32 digest = sha256_of(content);
    const Reply uploaded =
        node.send("POST", "/v1/blobs", content, token,
                  {{"Medchain-Patient", to_hex(patient_.address)},
                   {"Medchain-Category", "lab"},
                   {"Medchain-Digest", to_hex(digest)},
                   {"Medchain-Category-Signature", statement(patient_, digest, kLabCategory)}},
                  "application/octet-stream");
    EXPECT_EQ(uploaded.status, 201) << uploaded.body.dump();
    const Hash32 record_id = random_hash();
    add_on_chain(node, record_id, digest, node.node_id());
    const json keys{{"keys",
                     {{{"recipient", to_hex(patient_.address)}, {"sealedKey", "0x0101"}},
                      {{"recipient", to_hex(doctor_.address)}, {"sealedKey", "0x0202"}}}}};
    const Reply shared = node.send("PUT", "/v1/records/" + to_hex(record_id) + "/versions/1/keys",
                                   keys.dump(), token);
    EXPECT_EQ(shared.status, 200) << shared.body.dump();
    return record_id;
  }

  // Does `node` serve `record_id`'s version 1 whole to the doctor (`token`): its blob and the
  // doctor's sealed key, byte for byte?
  bool serves_to_doctor(Node& node, const std::string& token, const Hash32& record_id,
                        const std::string& content) {
    const Reply blob = node.get("/v1/blobs/" + to_hex(sha256_of(content)), token);
    const Reply key = node.get("/v1/records/" + to_hex(record_id) + "/versions/1/key", token);
    return blob.status == 200 && blob.response.body == content && key.status == 200 &&
           key.body["sealedKey"] == "0x0202";
  }

  // Has `reader` indexed the block in which `record_id`'s version 1 was added (as `home` lists
  // it)? Asked of its metrics, since a read by the patient or the doctor could start a fetch.
  bool indexed_by(Node& reader, Node& home, const Hash32& record_id) {
    const std::uint64_t added_in =
        home.get("/v1/records/" + to_hex(record_id), home.token_for(patient_))
            .body["versions"][0]["blockNumber"];
    return eventually([&] { return reader.indexed_block() >= added_in; });
  }

  void add_on_chain(Node& relaying, const Hash32& record_id, const Hash32& digest,
                    const Hash32& node_id) {
    const Reply added = relaying.relay(patient_, "addRecordBySig",
                                       {{"patient", eth::to_checksum(patient_.address)},
                                        {"recordId", to_hex(record_id)},
                                        {"digest", to_hex(digest)},
                                        {"nodeId", to_hex(node_id)},
                                        {"contentId", to_hex(digest)}});
    ASSERT_EQ(added.status, 200) << added.body.dump();
  }

  void grant_doctor(Node& relaying) {
    const Reply granted = relaying.relay(patient_, "grantAccessBySig",
                                         {{"patient", eth::to_checksum(patient_.address)},
                                          {"doctor", eth::to_checksum(doctor_.address)},
                                          {"scope", kLabScope},
                                          {"permissions", kRead},
                                          {"expiry", std::time(nullptr) + 86400}});
    ASSERT_EQ(granted.status, 200) << granted.body.dump();
  }

  // A storage node registered on chain for `operator_party`, at `url`; its node id.
  Hash32 register_node(const Party& operator_party, const std::string& url) {
    const Hash32 node_id = random_hash();
    ledger_.must_call(registrar_, "registerStorageNode",
                      {bytes32(node_id), operator_party.address, url});
    return node_id;
  }

  // The Authorization header of a GET of `target` on `to`, from node `from` signed with `key`.
  std::string peer_header(const Hash32& from, const Hash32& to, const std::string& target,
                          const crypto::PrivateKey& key, std::uint64_t chain_id = 0,
                          std::uint64_t timestamp = 0) {
    const federation::PeerRequest request{
        from,
        to,
        "GET",
        target,
        sha256_of(""),
        timestamp ? timestamp : static_cast<std::uint64_t>(std::time(nullptr)),
        federation::fresh_nonce()};
    records::StatementDomain signed_domain = domain();
    if (chain_id) signed_domain.chain_id = chain_id;
    return federation::sign_peer_request(request, signed_domain, key).value();
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  Party registrar_;
  Party doctor_;
  Party patient_;
};

}  // namespace medchain::test
