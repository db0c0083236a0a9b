// Federation between storage nodes (docs/architecture.md, "Federation"): the peer API answers
// only requests signed by the operator of a registered storage node, and a node started with
// --replicate keeps a verified replica of every version homed on another node, which it serves
// to authorized readers while the home node is down, and refuses what fails the chain's checks.
#include <algorithm>
#include <map>

#include "cli_runner.hpp"
#include "federation_fixture.hpp"
#include "support/files.hpp"

namespace medchain::test {
namespace {

TEST_F(FederationTest, PeerApiServesOnlyRegisteredNodesSignedRequests) {
  Node home(ledger_);
  const std::string token = home.token_for(patient_);
  const std::string content = "lab result: ciphertext stands in here";
  const Hash32 record_id = add_record(home, token, content);
  const Party peer_operator = ledger_.party(/*funded=*/false);
  const Hash32 peer_node = register_node(peer_operator, "http://127.0.0.1:9");
  const std::string blob_target = "/v1/peer/blobs/" + to_hex(sha256_of(content));
  const std::string version_target = "/v1/peer/versions/" + to_hex(record_id) + "/1";
  // The home node indexes the registration before it can know the peer.
  ASSERT_TRUE(eventually([&] {
    return home.send("GET", blob_target, "", "",
                     {{"Authorization",
                       peer_header(peer_node, home.node_id(), blob_target, peer_operator.key)}})
               .status == 200;
  }));

  const auto get = [&](const std::string& target, const std::string& header) {
    return home.send("GET", target, "", "", {{"Authorization", header}});
  };
  const Reply blob =
      get(blob_target, peer_header(peer_node, home.node_id(), blob_target, peer_operator.key));
  EXPECT_EQ(blob.status, 200);
  EXPECT_EQ(blob.response.body, content);
  const Reply version = get(
      version_target, peer_header(peer_node, home.node_id(), version_target, peer_operator.key));
  ASSERT_EQ(version.status, 200) << version.raw;
  EXPECT_EQ(version.body["digest"], to_hex(sha256_of(content)));
  EXPECT_EQ(version.body["category"], "lab");
  EXPECT_EQ(version.body["categorySignature"],
            statement(patient_, sha256_of(content), kLabCategory));
  EXPECT_EQ(version.body["categorySigner"], eth::to_checksum(patient_.address));
  ASSERT_EQ(version.body["keys"].size(), 2u);

  // Refusals: no signature, a session instead, a stranger's key, another chain, a stale
  // timestamp, another node's address, a replay.
  EXPECT_EQ(home.get(blob_target).status, 401);
  const Reply with_session = home.get(blob_target, token);
  EXPECT_EQ(with_session.status, 401);
  EXPECT_EQ(with_session.body["code"], "peer_unauthenticated");
  const Reply stranger = get(
      blob_target, peer_header(peer_node, home.node_id(), blob_target, ledger_.party(false).key));
  EXPECT_EQ(stranger.status, 403);
  EXPECT_EQ(stranger.body["code"], "not_a_peer");
  const Reply other_chain =
      get(blob_target, peer_header(peer_node, home.node_id(), blob_target, peer_operator.key, 1));
  EXPECT_EQ(other_chain.status, 401);
  EXPECT_NE(other_chain.body["detail"].get<std::string>().find("chain"), std::string::npos);
  const Reply stale =
      get(blob_target, peer_header(peer_node, home.node_id(), blob_target, peer_operator.key, 0,
                                   static_cast<std::uint64_t>(std::time(nullptr)) - 600));
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(
      get(blob_target, peer_header(peer_node, peer_node, blob_target, peer_operator.key)).status,
      401);
  const std::string once = peer_header(peer_node, home.node_id(), blob_target, peer_operator.key);
  EXPECT_EQ(get(blob_target, once).status, 200);
  EXPECT_EQ(get(blob_target, once).status, 401);
  // A signature for one path does not open another.
  EXPECT_EQ(
      get(version_target, peer_header(peer_node, home.node_id(), blob_target, peer_operator.key))
          .status,
      403);

  // Every answer is audited under the peer's operator, for the patient to see.
  const Reply audit =
      home.get("/v1/audit?patient=" + to_hex(patient_.address) + "&limit=1000", token);
  int peer_reads = 0;
  for (const json& entry : audit.body["entries"]) {
    if (entry["action"] == "peer.blob.read" &&
        entry["actor"] == eth::to_checksum(peer_operator.address))
      ++peer_reads;
  }
  EXPECT_GE(peer_reads, 3);
}

// Three nodes on one chain, the third on PostgreSQL, all replicating everything (r = 3).
TEST_F(FederationTest, ReplicaServesAGrantedDoctorWhileTheHomeNodeIsDown) {
  TempPostgres postgres;
  Node home(ledger_, {"--replicate", "--replicate-interval", "0.2", "--replicas", "3"});
  Node replica(ledger_, {"--replicate", "--replicate-interval", "0.2", "--replicas", "3"});
  Node third(ledger_, {"--database", postgres.create_database(), "--replicate",
                       "--replicate-interval", "0.2", "--replicas", "3"});
  const std::string home_token = home.token_for(patient_);
  std::vector<std::pair<Hash32, std::string>> records;
  for (int i = 0; i < 3; ++i) {
    const std::string content = "record " + std::to_string(i) + std::string(100'000 + i, 'x');
    records.emplace_back(add_record(home, home_token, content), content);
  }
  grant_doctor(home);
  const std::string doctor_token = replica.token_for(doctor_);
  const std::string third_doctor_token = third.token_for(doctor_);
  // Replicated: the blob and the doctor's key, which was shared after the version was indexed
  // and may reach a replica a pass after the blob (the replica pulls as soon as it indexes).
  const auto replicated = [&](Node& node, const std::string& token, const Hash32& record_id) {
    const Reply record = node.get("/v1/records/" + to_hex(record_id), token);
    return record.status == 200 && record.body["versions"][0]["size"].is_number() &&
           node.get("/v1/records/" + to_hex(record_id) + "/versions/1/key", token).status == 200;
  };
  for (const auto& [record_id, content] : records) {
    ASSERT_TRUE(eventually([&] { return replicated(replica, doctor_token, record_id); }))
        << "node 2 never replicated " << to_hex(record_id);
    ASSERT_TRUE(eventually([&] { return replicated(third, third_doctor_token, record_id); }))
        << "node 3 (PostgreSQL) never replicated " << to_hex(record_id);
  }

  home.crash();
  for (auto [node, token] : {std::pair<Node*, std::string>{&replica, doctor_token},
                             std::pair<Node*, std::string>{&third, third_doctor_token}}) {
    for (const auto& [record_id, content] : records) {
      const Reply blob = node->get("/v1/blobs/" + to_hex(sha256_of(content)), token);
      EXPECT_EQ(blob.status, 200);
      EXPECT_EQ(blob.response.body, content) << "not byte-identical";
      const Reply key = node->get("/v1/records/" + to_hex(record_id) + "/versions/1/key", token);
      EXPECT_EQ(key.status, 200) << key.raw;
      EXPECT_EQ(key.body["sealedKey"], "0x0202");
    }
  }
  // A stranger is refused by the replica exactly as by the home node, and audited there.
  const Party stranger = ledger_.party(/*funded=*/false);
  EXPECT_EQ(
      replica.get("/v1/blobs/" + to_hex(sha256_of(records[0].second)), replica.token_for(stranger))
          .status,
      403);

  // While node 1 is down, a record is added through node 2; node 1 catches up on restart.
  const std::string replica_token = replica.token_for(patient_);
  const std::string later = "added while node 1 was down" + std::string(5'000, 'y');
  const Hash32 later_id = add_record(replica, replica_token, later);
  home.start_again();
  const std::string home_doctor_token = home.token_for(doctor_);
  EXPECT_TRUE(eventually([&] { return replicated(home, home_doctor_token, later_id); }));
  EXPECT_TRUE(eventually([&] { return replicated(third, third_doctor_token, later_id); }));
  const Reply caught_up = home.get("/v1/blobs/" + to_hex(sha256_of(later)), home_doctor_token);
  EXPECT_EQ(caught_up.response.body, later);
}

// A node registered on chain whose peer API lies: it serves other bytes than the chain's digest
// for one version, and a category statement that does not sign the category it claims for
// another.
class LyingPeer {
 public:
  LyingPeer(std::string forged_blob, json version_answers)
      : forged_blob_(std::move(forged_blob)), versions_(std::move(version_answers)) {
    api::ServerOptions options;
    options.port = 0;
    api::Handlers handlers;
    handlers.respond = [this](const api::Request& request) { return answer(request); };
    server_ = api::HttpServer::start(options, std::move(handlers)).value();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  // What the peer answers for version 1 of `record_id`: a category statement by `signer`.
  static json version_answer(const Hash32& record_id, const Hash32& digest, std::size_t size,
                             const std::string& category, const std::string& signature,
                             const Address& signer) {
    return json{{"path", "/v1/peer/versions/" + to_hex(record_id) + "/1"},
                {"answer",
                 {{"recordId", to_hex(record_id)},
                  {"version", 1},
                  {"digest", to_hex(digest)},
                  {"size", size},
                  {"category", category},
                  {"categorySignature", signature},
                  {"categorySigner", to_hex(signer)},
                  {"uploadedBy", to_hex(signer)},
                  {"summary", nullptr},
                  {"keys", json::array()}}}};
  }

 private:
  api::Response answer(const api::Request& request) {
    api::Response response;
    if (request.path.rfind("/v1/peer/blobs/", 0) == 0) {
      response.content_type = "application/octet-stream";
      response.body = forged_blob_;
      return response;
    }
    for (const json& version : versions_) {
      if (request.path == version["path"]) {
        response.body = version["answer"].dump();
        return response;
      }
    }
    response.status = 404;
    return response;
  }

  std::string forged_blob_;
  json versions_;
  std::unique_ptr<api::HttpServer> server_;
};

TEST_F(FederationTest, ReplicationRefusesAWrongDigestAndAForgedCategory) {
  Node replica(ledger_, {"--replicate", "--replicate-interval", "0.2"});
  const Party liar_operator = ledger_.party(/*funded=*/false);
  const std::string real = "the bytes the chain names";
  const std::string other = "the category statement's bytes";
  const Hash32 wrong_digest_record = random_hash();
  const Hash32 forged_category_record = random_hash();
  const auto answer = [&](const Hash32& record_id, const std::string& content,
                          const std::string& category, const std::string& signature) {
    return LyingPeer::version_answer(record_id, sha256_of(content), content.size(), category,
                                     signature, patient_.address);
  };
  // Version 1: an honest statement, but the blob served is not the chain's bytes. Version 2: the
  // patient stated "lab"; the peer claims "general", which every grant of General would cover.
  const json answers = json::array(
      {answer(wrong_digest_record, real, "lab", statement(patient_, sha256_of(real), kLabCategory)),
       answer(forged_category_record, other, "general",
              statement(patient_, sha256_of(other), kLabCategory))});
  LyingPeer liar("not " + real, answers);
  const Hash32 liar_node = register_node(liar_operator, liar.url());
  add_on_chain(replica, wrong_digest_record, sha256_of(real), liar_node);
  add_on_chain(replica, forged_category_record, sha256_of(other), liar_node);

  const auto refusals = [&] {
    const std::string logs = all_logs(replica.dir());
    return logs.find("replication refused " + to_hex(wrong_digest_record)) != std::string::npos &&
           logs.find("replication refused " + to_hex(forged_category_record)) != std::string::npos;
  };
  ASSERT_TRUE(eventually(refusals)) << all_logs(replica.dir());
  const std::string logs = all_logs(replica.dir());
  EXPECT_NE(logs.find("does not hash to the chain's digest"), std::string::npos);
  EXPECT_NE(logs.find("is not a signature of \"general\""), std::string::npos);
  // Nothing of either was stored: the patient sees both versions without a blob.
  const std::string token = replica.token_for(patient_);
  for (const Hash32& record_id : {wrong_digest_record, forged_category_record}) {
    const Reply record = replica.get("/v1/records/" + to_hex(record_id), token);
    ASSERT_EQ(record.status, 200) << record.raw;
    EXPECT_TRUE(record.body["versions"][0]["size"].is_null());
    EXPECT_TRUE(record.body["versions"][0]["category"].is_null());
  }
  EXPECT_EQ(replica.get("/v1/blobs/" + to_hex(sha256_of(real)), token).status, 404);
}

// Read-time peer fetch (medchaind --peer-fetch): a node that lacks a version fetches it from a
// peer when a reader who may read it asks, with the replication's checks; wrong bytes are
// refused (502) and never stored; a caller who may read nothing of the patient starts no fetch.
TEST_F(FederationTest, ANodeFetchesAVersionItLacksFromAPeerAndRefusesWrongBytes) {
  Node home(ledger_);
  Node reader(ledger_, {"--peer-fetch"});
  const std::string content = "fetched at read time" + std::string(200'000, 'f');
  const Hash32 record_id = add_record(home, home.token_for(patient_), content);
  grant_doctor(home);
  const std::string doctor_token = reader.token_for(doctor_);
  const std::string blob_path = "/v1/blobs/" + to_hex(sha256_of(content));
  const std::string patient_token = reader.token_for(patient_);
  // Once the reader has indexed the version (any read by the patient or the doctor would fetch
  // it), a stranger's read starts no fetch.
  ASSERT_TRUE(indexed_by(reader, home, record_id));
  const Party stranger = ledger_.party(/*funded=*/false);
  EXPECT_EQ(reader.get(blob_path, reader.token_for(stranger)).status, 404);
  EXPECT_FALSE(keeps_blob(reader, sha256_of(content)));

  const Reply fetched = reader.get(blob_path, doctor_token);
  ASSERT_EQ(fetched.status, 200) << fetched.raw;
  EXPECT_EQ(fetched.response.body, content) << "not byte-identical";
  // Kept: served again with the home node gone, and listed with its size and category.
  home.crash();
  const Reply again = reader.get(blob_path, doctor_token);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.response.body, content);
  const Reply listed = reader.get("/v1/records/" + to_hex(record_id), patient_token);
  EXPECT_EQ(listed.body["versions"][0]["size"], content.size()) << listed.raw;
  EXPECT_EQ(listed.body["versions"][0]["category"], "lab");

  // A version homed on a peer that serves other bytes than the chain's digest.
  const std::string real = "the bytes the chain names" + std::string(1'000, 'r');
  const Hash32 lied_about = random_hash();
  const json answers = json::array({LyingPeer::version_answer(
      lied_about, sha256_of(real), real.size(), "lab",
      statement(patient_, sha256_of(real), kLabCategory), patient_.address)});
  LyingPeer liar("not " + real, answers);
  const Hash32 liar_node = register_node(ledger_.party(/*funded=*/false), liar.url());
  add_on_chain(reader, lied_about, sha256_of(real), liar_node);
  ASSERT_TRUE(eventually([&] {
    return reader.get("/v1/records/" + to_hex(lied_about), patient_token).status == 200;
  }));
  const Reply refused = reader.get_failing("/v1/blobs/" + to_hex(sha256_of(real)), doctor_token);
  EXPECT_EQ(refused.status, 502) << refused.raw;
  EXPECT_EQ(refused.body["code"], "peer_fetch_failed") << refused.raw;
  EXPECT_NE(refused.body["detail"].get<std::string>().find("does not hash to the chain's digest"),
            std::string::npos)
      << refused.raw;
  EXPECT_TRUE(reader.get("/v1/records/" + to_hex(lied_about), patient_token)
                  .body["versions"][0]["size"]
                  .is_null());
}

// One ciphertext recorded by two versions (two patients' records of the same bytes): the first
// homed on a peer that serves other bytes, which no other node holds for its patient; the second
// on an honest node. A doctor both patients granted reads the blob from a --peer-fetch node that
// holds neither: the first version's fetch fails its checks, the second's is tried and served.
TEST_F(FederationTest, ABlobIsFetchedThroughAnotherVersionWhenTheFirstVersionsFetchFails) {
  Node home(ledger_);
  Node reader(ledger_, {"--peer-fetch"});
  const Party other_patient = ledger_.registered_patient(/*funded=*/false);
  const std::string content = "one ciphertext, two records" + std::string(5'000, 'c');
  const Hash32 digest = sha256_of(content);
  // The first version: the other patient's record of the same digest, homed on the liar.
  const Hash32 lied_about = random_hash();
  const std::string other_statement =
      to_hex(records::sign_category({other_patient.address, digest, kLabCategory}, domain(),
                                    other_patient.key)
                 .value());
  const json answers = json::array({LyingPeer::version_answer(
      lied_about, digest, content.size(), "lab", other_statement, other_patient.address)});
  LyingPeer liar("not " + content, answers);
  const Hash32 liar_node = register_node(ledger_.party(/*funded=*/false), liar.url());
  const auto relayed = [&](const Party& signer, std::string_view function_name, json message) {
    const Reply reply = home.relay(signer, function_name, std::move(message));
    ASSERT_EQ(reply.status, 200) << reply.body.dump();
  };
  relayed(other_patient, "addRecordBySig",
          {{"patient", eth::to_checksum(other_patient.address)},
           {"recordId", to_hex(lied_about)},
           {"digest", to_hex(digest)},
           {"nodeId", to_hex(liar_node)},
           {"contentId", to_hex(digest)}});
  relayed(other_patient, "grantAccessBySig",
          {{"patient", eth::to_checksum(other_patient.address)},
           {"doctor", eth::to_checksum(doctor_.address)},
           {"scope", kLabScope},
           {"permissions", kRead},
           {"expiry", std::time(nullptr) + 86400}});
  // The second version, in a later block: the patient's record, uploaded to the honest node.
  const Hash32 record_id = add_record(home, home.token_for(patient_), content);
  grant_doctor(home);
  ASSERT_TRUE(indexed_by(reader, home, record_id));
  ASSERT_FALSE(keeps_blob(reader, digest));

  const Reply read = reader.get("/v1/blobs/" + to_hex(digest), reader.token_for(doctor_));
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.response.body, content) << "not byte-identical";
  EXPECT_TRUE(keeps_blob(reader, digest));
  // Kept as the patient's blob: listed for the patient, and not for the other patient's version.
  const Reply listed = reader.get("/v1/records/" + to_hex(record_id), reader.token_for(patient_));
  EXPECT_EQ(listed.body["versions"][0]["size"], content.size()) << listed.raw;
  const Reply other =
      reader.get("/v1/records/" + to_hex(lied_about), reader.token_for(other_patient));
  ASSERT_EQ(other.status, 200) << other.raw;
  EXPECT_TRUE(other.body["versions"][0]["size"].is_null()) << other.raw;
}

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Issue #17's story through the CLI: three nodes on one chain (the third on PostgreSQL), r = 2,
// each replicating and fetching from peers. A patient adds records through node 1, and each
// version is kept by exactly the two nodes placement names. Node 1 is killed; a granted doctor
// reads every record with `--node` naming all three, byte-identical, the CLI failing over to node
// 2, which fetches from node 3 what it does not keep. Records added meanwhile (through node 2)
// reach node 1 after its restart where placement names it, and only there.
// (A node that serves other bytes or a forged category is refused by the client:
// AttacksTest; and by a replicating or fetching node: the tests above.)
TEST_F(FederationTest, ADoctorReadsEveryRecordWithTheCliWhileTheNodeTheyWereAddedToIsDown) {
  TempPostgres postgres;
  const std::vector<std::string> federated{"--replicate",  "--replicate-interval", "0.2",
                                           "--peer-fetch", "--replicas",           "2"};
  std::vector<std::string> on_postgres{"--database", postgres.create_database()};
  on_postgres.insert(on_postgres.end(), federated.begin(), federated.end());
  Node first(ledger_, federated);
  Node second(ledger_, federated);
  Node third(ledger_, on_postgres);
  const std::vector<Node*> all{&first, &second, &third};
  const std::string nodes = "http://" + first.authority() + ",http://" + second.authority() +
                            ",http://" + third.authority();
  const std::filesystem::path home =
      std::filesystem::temp_directory_path() / ("medchain-federation-" + to_hex(random_hash()));
  const CliRunner cli(home, {"--node", nodes, "--rpc-url", ledger_.dev_chain().url()});

  // A doctor the registrar verifies with the key the doctor derived, and a new patient.
  const std::string registrar = cli.import(registrar_.key);
  const Party patient_party = ledger_.party(/*funded=*/false);
  const std::string patient = cli.import(patient_party.key);
  const Party doctor_party = ledger_.party(/*funded=*/false);
  const std::string doctor = cli.import(doctor_party.key);
  const nlohmann::json asked =
      cli.must({"register", "doctor", "--license", "LIC-17", "--from", doctor});
  cli.must({"registrar", "verify", doctor, "--license", "LIC-17", "--license-salt",
            asked.value("licenseSalt", ""), "--encryption-key", asked.value("encryptionKey", ""),
            "--from", registrar});
  cli.must({"register", "patient", "--from", patient});
  EXPECT_EQ(cli.must({"login", "--from", patient})["nodes"].size(), 3u);
  cli.must({"login", "--from", doctor});
  cli.must({"access", "grant", doctor, "--scope", "lab", "--for", "1d", "--from", patient});

  struct Added {
    Hash32 record_id;
    Hash32 digest;
    std::filesystem::path file;
    std::vector<Node*> holders;
  };
  const auto add = [&](int seed, const Hash32& through) {
    const std::filesystem::path file = home / ("lab-" + std::to_string(seed) + ".pdf");
    write_random_file(file, 20'000 + 1'000 * seed, 17 + seed);
    const nlohmann::json added = cli.must(
        {"records", "add", "--file", file.string(), "--category", "lab", "--from", patient});
    const Hash32 record_id = *from_hex_fixed<Hash32>(added.value("recordId", ""));
    return Added{record_id, *from_hex_fixed<Hash32>(added.value("digest", "")), file,
                 holders_among(all, record_id, through, 2)};
  };
  const auto names = [](const Added& added, const Node& node) {
    return std::find(added.holders.begin(), added.holders.end(), &node) != added.holders.end();
  };
  // Records added through node 1 (the first named, answering): at least three, and until one is
  // placed on node 3 rather than node 2, so that node 2 must fetch it during the outage.
  std::vector<Added> records;
  while (records.size() < 3 || std::all_of(records.begin(), records.end(),
                                           [&](const Added& a) { return names(a, second); })) {
    ASSERT_LT(records.size(), 12u) << "placement never chose node 3 over node 2";
    records.push_back(add(static_cast<int>(records.size()), first.node_id()));
  }
  std::map<Node*, std::string> doctor_tokens;
  for (Node* node : all) doctor_tokens[node] = node->token_for(doctor_party);
  // Each version reaches the holder placement names with the doctor's key before node 1 dies,
  // and only there: a passing second later, the third node keeps no copy.
  for (const Added& added : records) {
    ASSERT_EQ(added.holders.size(), 2u);
    ASSERT_EQ(added.holders[0], &first) << "the home node holds its versions";
    for (Node* node : added.holders) {
      ASSERT_TRUE(eventually([&] {
        return node->get("/v1/records/" + to_hex(added.record_id) + "/versions/1/key",
                         doctor_tokens[node])
                   .status == 200;
      })) << to_hex(added.record_id)
          << " never reached " << node->authority();
    }
  }
  std::this_thread::sleep_for(1s);  // five replication passes
  for (const Added& added : records) {
    for (Node* node : all) {
      EXPECT_EQ(keeps_blob(*node, added.digest), names(added, *node))
          << to_hex(added.record_id) << " on " << node->authority();
    }
  }

  first.crash();
  for (const Added& added : records) {
    const std::filesystem::path out = home / (to_hex(added.record_id).substr(2, 8) + ".read");
    const ProcessResult read = cli.run(
        {"records", "get", to_hex(added.record_id), "--out", out.string(), "--from", doctor});
    ASSERT_EQ(read.exit_code, 0) << read.err;
    EXPECT_NE(read.err.find("warning: "), std::string::npos) << "no failover said: " << read.err;
    EXPECT_NE(read.err.find("using http://" + second.authority()), std::string::npos) << read.err;
    EXPECT_TRUE(file_text(out) == file_text(added.file))
        << to_hex(added.record_id) << " is not byte-identical";
    // Node 2 fetched from node 3 what placement did not give it, and keeps it.
    EXPECT_TRUE(keeps_blob(second, added.digest));
  }

  // While node 1 is down the patient adds records, through node 2, until one is placed on node
  // 1; node 1 catches up on that one after its restart, and keeps none placed elsewhere.
  std::vector<Added> later;
  while (later.empty() || !names(later.back(), first)) {
    ASSERT_LT(later.size(), 10u) << "placement never chose node 1";
    later.push_back(add(100 + static_cast<int>(later.size()), second.node_id()));
  }
  first.start_again();
  doctor_tokens[&first] = first.token_for(doctor_party);
  const Added& caught_up = later.back();
  EXPECT_TRUE(eventually([&] {
    return first
               .get("/v1/records/" + to_hex(caught_up.record_id) + "/versions/1/key",
                    doctor_tokens[&first])
               .status == 200;
  }));
  // The ciphertext the chain names, as node 1 now holds it.
  const Reply blob = first.get("/v1/blobs/" + to_hex(caught_up.digest), doctor_tokens[&first]);
  EXPECT_EQ(sha256_of(blob.response.body), caught_up.digest);
  for (const Added& added : later) {
    EXPECT_EQ(keeps_blob(first, added.digest), names(added, first)) << to_hex(added.record_id);
  }
  std::error_code ignored;
  std::filesystem::remove_all(home, ignored);
}

// A node loses its disk: its index and blobs are gone, its operator key and configuration are
// restored, and it starts again with the same node id. With r = 2 it gets back every version
// placement names it for (those homed on it from the other holders' replicas) and no other, and
// the operator's checks pass.
TEST_F(FederationTest, ANodeThatLostItsDiskGetsBackEverythingItShouldHold) {
  TempPostgres postgres;
  const std::vector<std::string> replicating{"--replicate", "--replicate-interval", "0.2",
                                             "--replicas", "2"};
  std::vector<std::string> on_postgres{"--database", postgres.create_database()};
  on_postgres.insert(on_postgres.end(), replicating.begin(), replicating.end());
  Node first(ledger_, replicating);
  Node lost(ledger_, replicating);  // SQLite
  Node third(ledger_, on_postgres);
  const std::vector<Node*> all{&first, &lost, &third};
  struct Kept {
    Hash32 record_id;
    std::string content;
    std::vector<Node*> holders;
  };
  std::vector<Kept> records;
  const auto add = [&](Node& home) {
    const std::string content =
        "record " + std::to_string(records.size()) + std::string(60'000, 'z');
    const Hash32 record_id = add_record(home, home.token_for(patient_), content);
    records.push_back({record_id, content, holders_among(all, record_id, home.node_id(), 2)});
  };
  const auto lost_holds = [&lost](const Kept& kept) {
    return std::find(kept.holders.begin(), kept.holders.end(), &lost) != kept.holders.end();
  };
  for (Node* home : {&lost, &first, &lost, &third}) add(*home);
  // Until the node to be lost also keeps a replica of a version homed elsewhere.
  while (std::count_if(records.begin(), records.end(), lost_holds) == 2) {
    ASSERT_LT(records.size(), 14u) << "placement never chose the node for a replica";
    add(records.size() % 2 == 0 ? first : third);
  }
  grant_doctor(first);
  for (const Kept& kept : records) {
    for (Node* node : kept.holders) {
      const std::string token = node->token_for(doctor_);
      ASSERT_TRUE(eventually([&] {
        return serves_to_doctor(*node, token, kept.record_id, kept.content);
      })) << "never replicated "
          << to_hex(kept.record_id);
    }
  }

  lost.crash();
  std::size_t removed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(lost.dir())) {
    const std::string name = entry.path().filename().string();
    if (name == "relayer.key" || name == "deployment.json" || entry.path().extension() == ".log")
      continue;
    removed += std::filesystem::remove_all(entry.path());
  }
  ASSERT_FALSE(std::filesystem::exists(lost.dir() / "index.db"));
  ASSERT_GT(removed, 4u);
  lost.start_again();

  const std::string token = lost.token_for(doctor_);
  std::size_t should_hold = 0;
  for (const Kept& kept : records) {
    if (!lost_holds(kept)) continue;
    ++should_hold;
    EXPECT_TRUE(eventually(
        [&] { return serves_to_doctor(lost, token, kept.record_id, kept.content); }, 60s))
        << "the node that lost its disk never got back " << to_hex(kept.record_id) << "\n"
        << all_logs(lost.dir());
  }
  // Its own versions came from the peers' replicas, checked like any other pull.
  EXPECT_EQ(all_logs(lost.dir()).find("replication refused"), std::string::npos);
  std::this_thread::sleep_for(1s);  // five passes more: nothing placed elsewhere arrives
  for (const Kept& kept : records) {
    EXPECT_EQ(keeps_blob(lost, sha256_of(kept.content)), lost_holds(kept))
        << to_hex(kept.record_id);
  }

  const ProcessResult index_verified =
      run_process({MEDCHAIN_CLI_PATH, "index", "verify", "--rpc-url", ledger_.dev_chain().url(),
                   "--data-dir", lost.dir().string()},
                  120s);
  EXPECT_EQ(index_verified.exit_code, 0) << index_verified.out << index_verified.err;
  const ProcessResult node_verified =
      run_process({MEDCHAIN_CLI_PATH, "node", "verify", "--data-dir", lost.dir().string(),
                   "--node-id", to_hex(lost.node_id()), "--replicated", "--replicas", "2"},
                  120s);
  EXPECT_EQ(node_verified.exit_code, 0) << node_verified.out << node_verified.err;
  EXPECT_NE(node_verified.out.find("all " + std::to_string(should_hold) +
                                   " blobs the chain names for this node and its replicas"),
            std::string::npos)
      << node_verified.out;
}

// `medchain node verify --replicated` checks a --replicate node's replicas too: a lost one and an
// altered one are each named (exit 1); once the altered file is deleted, as the operator does,
// the replicator pulls both again and the check passes. The check runs beside the live node
// (its writes in progress survive it) and, for a deterministic broken state, on the stopped one.
TEST_F(FederationTest, NodeVerifyReplicatedNamesALostOrAlteredReplica) {
  Node home(ledger_, {"--replicate", "--replicate-interval", "0.2"});
  Node replica(ledger_, {"--replicate", "--replicate-interval", "0.2"});
  const std::string home_token = home.token_for(patient_);
  std::vector<std::pair<Hash32, std::string>> records;
  for (int i = 0; i < 3; ++i) {
    const std::string content = "replicated " + std::to_string(i) + std::string(20'000, 'r');
    records.emplace_back(add_record(home, home_token, content), content);
  }
  records.emplace_back(add_record(replica, replica.token_for(patient_), "homed on the replica"),
                       "homed on the replica");
  grant_doctor(home);
  const std::string token = replica.token_for(doctor_);
  for (const auto& [record_id, content] : records) {
    ASSERT_TRUE(eventually([&] { return serves_to_doctor(replica, token, record_id, content); }));
  }
  const auto verify = [&](bool replicated) {
    std::vector<std::string> argv{MEDCHAIN_CLI_PATH,
                                  "node",
                                  "verify",
                                  "--data-dir",
                                  replica.dir().string(),
                                  "--node-id",
                                  to_hex(replica.node_id())};
    if (replicated) argv.push_back("--replicated");
    return run_process(argv, 60s);
  };
  const ProcessResult healthy = verify(true);
  EXPECT_EQ(healthy.exit_code, 0) << healthy.out << healthy.err;
  EXPECT_NE(healthy.out.find("all 4 blobs the chain names for this node and its replicas"),
            std::string::npos)
      << healthy.out;

  replica.crash();  // else its replicator may pull the lost one back before the check
  ASSERT_TRUE(std::filesystem::remove(replica.blob_file(sha256_of(records[0].second))));
  std::ofstream(replica.blob_file(sha256_of(records[1].second)), std::ios::trunc) << "bit rot";
  const ProcessResult broken = verify(true);
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  const std::string home_id = to_hex(home.node_id());
  EXPECT_NE(broken.out.find("missing  " + to_hex(sha256_of(records[0].second)) + "  (record " +
                            to_hex(records[0].first) + " v1, a replica of node " + home_id + ")"),
            std::string::npos)
      << broken.out;
  EXPECT_NE(broken.out.find("wrong digest  " + to_hex(sha256_of(records[1].second)) + "  (record " +
                            to_hex(records[1].first) + " v1"),
            std::string::npos)
      << broken.out;
  EXPECT_NE(broken.err.find("2 of 4 blobs"), std::string::npos) << broken.err;
  // Without --replicated only the node's own version is checked, and it is intact.
  EXPECT_EQ(verify(false).exit_code, 0);

  std::filesystem::remove(replica.blob_file(sha256_of(records[1].second)));
  replica.start_again();
  EXPECT_TRUE(eventually([&] { return verify(true).exit_code == 0; }, 60s))
      << verify(true).out << all_logs(replica.dir());
  for (const auto& [record_id, content] : records) {
    EXPECT_TRUE(serves_to_doctor(replica, token, record_id, content));
  }
}

}  // namespace
}  // namespace medchain::test
