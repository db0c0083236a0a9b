// Federation between storage nodes (docs/architecture.md, "Federation"): the peer API answers
// only requests signed by the operator of a registered storage node, and a node started with
// --replicate keeps a verified replica of every version homed on another node, which it serves
// to authorized readers while the home node is down, and refuses what fails the chain's checks.
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

// Three nodes on one chain, the third on PostgreSQL, all replicating.
TEST_F(FederationTest, ReplicaServesAGrantedDoctorWhileTheHomeNodeIsDown) {
  TempPostgres postgres;
  Node home(ledger_, {"--replicate", "--replicate-interval", "0.2"});
  Node replica(ledger_, {"--replicate", "--replicate-interval", "0.2"});
  Node third(ledger_, {"--database", postgres.create_database(), "--replicate",
                       "--replicate-interval", "0.2"});
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
    return json{{"path", "/v1/peer/versions/" + to_hex(record_id) + "/1"},
                {"answer",
                 {{"recordId", to_hex(record_id)},
                  {"version", 1},
                  {"digest", to_hex(sha256_of(content))},
                  {"size", content.size()},
                  {"category", category},
                  {"categorySignature", signature},
                  {"categorySigner", to_hex(patient_.address)},
                  {"uploadedBy", to_hex(patient_.address)},
                  {"summary", nullptr},
                  {"keys", json::array()}}}};
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
  // Once the reader has indexed the version (its metrics say so: any read by the patient or the
  // doctor would fetch it), a stranger's read starts no fetch.
  const std::uint64_t added_in =
      home.get("/v1/records/" + to_hex(record_id), home.token_for(patient_))
          .body["versions"][0]["blockNumber"];
  ASSERT_TRUE(eventually([&] {
    const std::string metrics = reader.get("/metrics", "").response.body;
    const auto at = metrics.find("\nmedchaind_indexed_block ");
    return at != std::string::npos && std::stoull(metrics.substr(at + 25)) >= added_in;
  }));
  const Party stranger = ledger_.party(/*funded=*/false);
  EXPECT_EQ(reader.get(blob_path, reader.token_for(stranger)).status, 404);
  const std::string name = to_hex(sha256_of(content), false);
  EXPECT_FALSE(std::filesystem::exists(reader.dir() / "blobs" / "blobs" / name.substr(0, 2) /
                                       name.substr(2, 2) / name));

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
  const json answers =
      json::array({{{"path", "/v1/peer/versions/" + to_hex(lied_about) + "/1"},
                    {"answer",
                     {{"recordId", to_hex(lied_about)},
                      {"version", 1},
                      {"digest", to_hex(sha256_of(real))},
                      {"size", real.size()},
                      {"category", "lab"},
                      {"categorySignature", statement(patient_, sha256_of(real), kLabCategory)},
                      {"categorySigner", to_hex(patient_.address)},
                      {"uploadedBy", to_hex(patient_.address)},
                      {"summary", nullptr},
                      {"keys", json::array()}}}}});
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

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Issue #17's story through the CLI: three nodes on one chain (the third on PostgreSQL), each
// replicating and fetching from peers; a patient adds records through node 1; node 1 is killed;
// a granted doctor reads every record with `--node` naming all three, byte-identical, the CLI
// failing over; a record added meanwhile (through node 2) reaches node 1 after its restart.
// (A node that serves other bytes or a forged category is refused by the client:
// AttacksTest; and by a replicating or fetching node: the tests above.)
TEST_F(FederationTest, ADoctorReadsEveryRecordWithTheCliWhileTheNodeTheyWereAddedToIsDown) {
  TempPostgres postgres;
  const std::vector<std::string> federated{"--replicate", "--replicate-interval", "0.2",
                                           "--peer-fetch"};
  std::vector<std::string> on_postgres{"--database", postgres.create_database()};
  on_postgres.insert(on_postgres.end(), federated.begin(), federated.end());
  Node first(ledger_, federated);
  Node second(ledger_, federated);
  Node third(ledger_, on_postgres);
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

  // Records added through node 1 (the first named, answering), granted to the doctor.
  std::vector<std::pair<std::string, std::filesystem::path>> records;
  for (int i = 0; i < 3; ++i) {
    const std::filesystem::path file = home / ("lab-" + std::to_string(i) + ".pdf");
    write_random_file(file, 50'000 + 1'000 * i, 17 + i);
    const nlohmann::json added = cli.must(
        {"records", "add", "--file", file.string(), "--category", "lab", "--from", patient});
    records.emplace_back(added.value("recordId", ""), file);
  }
  cli.must({"access", "grant", doctor, "--scope", "lab", "--for", "1d", "--from", patient});
  // Replicated with the doctor's key on nodes 2 and 3 before node 1 dies.
  const std::string doctor2 = second.token_for(doctor_party);
  const std::string doctor3 = third.token_for(doctor_party);
  for (const auto& [record_id, file] : records) {
    for (auto [node, token] : {std::pair<Node*, std::string>{&second, doctor2},
                               std::pair<Node*, std::string>{&third, doctor3}}) {
      ASSERT_TRUE(eventually([&] {
        return node->get("/v1/records/" + record_id + "/versions/1/key", token).status == 200;
      })) << record_id
          << " never reached " << node->authority();
    }
  }

  first.crash();
  for (const auto& [record_id, file] : records) {
    const std::filesystem::path out = home / (record_id.substr(2, 8) + ".read");
    const ProcessResult read =
        cli.run({"records", "get", record_id, "--out", out.string(), "--from", doctor});
    ASSERT_EQ(read.exit_code, 0) << read.err;
    EXPECT_NE(read.err.find("warning: "), std::string::npos) << "no failover said: " << read.err;
    EXPECT_NE(read.err.find("using http://" + second.authority()), std::string::npos) << read.err;
    EXPECT_TRUE(file_text(out) == file_text(file)) << record_id << " is not byte-identical";
  }

  // While node 1 is down the patient adds a record, through node 2; node 1 catches up.
  const std::filesystem::path later = home / "later.pdf";
  write_random_file(later, 20'000, 99);
  const nlohmann::json added = cli.must(
      {"records", "add", "--file", later.string(), "--category", "lab", "--from", patient});
  first.start_again();
  const std::string doctor1 = first.token_for(doctor_party);
  EXPECT_TRUE(eventually([&] {
    return first.get("/v1/records/" + added.value("recordId", "") + "/versions/1/key", doctor1)
               .status == 200;
  }));
  // The ciphertext the chain names, as node 1 now holds it.
  const Reply caught_up = first.get("/v1/blobs/" + added.value("digest", ""), doctor1);
  EXPECT_EQ(to_hex(sha256_of(caught_up.response.body)), added.value("digest", ""));
  std::error_code ignored;
  std::filesystem::remove_all(home, ignored);
}

// A node loses its disk: its index and blobs are gone, its operator key and configuration are
// restored, and it starts again with the same node id. It gets back every version it should
// hold, those homed on it from the other nodes' replicas, and the operator's checks pass.
TEST_F(FederationTest, ANodeThatLostItsDiskGetsBackEverythingItShouldHold) {
  TempPostgres postgres;
  Node first(ledger_, {"--replicate", "--replicate-interval", "0.2"});
  Node lost(ledger_, {"--replicate", "--replicate-interval", "0.2"});  // SQLite
  Node third(ledger_, {"--database", postgres.create_database(), "--replicate",
                       "--replicate-interval", "0.2"});
  std::vector<std::pair<Hash32, std::string>> records;
  for (Node* home : {&lost, &first, &lost, &third}) {
    const std::string content =
        "record " + std::to_string(records.size()) + std::string(60'000, 'z');
    records.emplace_back(add_record(*home, home->token_for(patient_), content), content);
  }
  grant_doctor(first);
  for (Node* node : {&first, &lost, &third}) {
    const std::string token = node->token_for(doctor_);
    for (const auto& [record_id, content] : records) {
      ASSERT_TRUE(eventually([&] { return serves_to_doctor(*node, token, record_id, content); }))
          << "never replicated " << to_hex(record_id);
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
  for (const auto& [record_id, content] : records) {
    EXPECT_TRUE(eventually([&] { return serves_to_doctor(lost, token, record_id, content); }, 60s))
        << "the node that lost its disk never got back " << to_hex(record_id) << "\n"
        << all_logs(lost.dir());
  }
  // Its own versions came from the peers' replicas, checked like any other pull.
  EXPECT_EQ(all_logs(lost.dir()).find("replication refused"), std::string::npos);

  const ProcessResult index_verified =
      run_process({MEDCHAIN_CLI_PATH, "index", "verify", "--rpc-url", ledger_.dev_chain().url(),
                   "--data-dir", lost.dir().string()},
                  120s);
  EXPECT_EQ(index_verified.exit_code, 0) << index_verified.out << index_verified.err;
  const ProcessResult node_verified =
      run_process({MEDCHAIN_CLI_PATH, "node", "verify", "--data-dir", lost.dir().string(),
                   "--node-id", to_hex(lost.node_id())},
                  120s);
  EXPECT_EQ(node_verified.exit_code, 0) << node_verified.out << node_verified.err;
  EXPECT_NE(node_verified.out.find("all 2 blobs"), std::string::npos) << node_verified.out;
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

  const auto blob_file = [&](const std::string& content) {
    const std::string name = to_hex(sha256_of(content)).substr(2);
    return replica.dir() / "blobs" / "blobs" / name.substr(0, 2) / name.substr(2, 2) / name;
  };
  replica.crash();  // else its replicator may pull the lost one back before the check
  ASSERT_TRUE(std::filesystem::remove(blob_file(records[0].second)));
  std::ofstream(blob_file(records[1].second), std::ios::trunc) << "bit rot";
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

  std::filesystem::remove(blob_file(records[1].second));
  replica.start_again();
  EXPECT_TRUE(eventually([&] { return verify(true).exit_code == 0; }, 60s))
      << verify(true).out << all_logs(replica.dir());
  for (const auto& [record_id, content] : records) {
    EXPECT_TRUE(serves_to_doctor(replica, token, record_id, content));
  }
}

}  // namespace
}  // namespace medchain::test
