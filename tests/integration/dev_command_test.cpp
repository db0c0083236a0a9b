// `medchain dev` as a user runs it: a fresh start deploys the contract and creates the demo
// accounts, Ctrl-C (SIGTERM here) stops it cleanly, and a restart resumes the same chain.
#include <gtest/gtest.h>

#include <fstream>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "support/files.hpp"
#include "support/ledger.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct DevOutput {
  std::string contract;
  std::map<std::string, std::string> accounts;  // label -> address
  bool resumed = false;
};

std::string read_all(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Starts `medchain dev` and waits until it says it is ready.
std::pair<ChildProcess, DevOutput> start_dev(const fs::path& data_dir, std::uint16_t port,
                                             std::uint16_t node_port, const fs::path& log,
                                             const std::string& chain = "anvil",
                                             std::vector<std::string> extra = {}) {
  fs::remove(log);
  std::vector<std::string> argv{MEDCHAIN_CLI_PATH, "dev",
                                "--data-dir",      data_dir.string(),
                                "--chain",         chain,
                                "--chain-port",    std::to_string(port),
                                "--node-port",     std::to_string(node_port)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  ChildProcess process = ChildProcess::spawn(argv, log).value();
  const auto give_up = std::chrono::steady_clock::now() + 90s;
  std::string output;
  while ((output = read_all(log)).find("Press Ctrl-C") == std::string::npos) {
    if (!process.running()) throw std::runtime_error("medchain dev exited: " + output);
    if (std::chrono::steady_clock::now() > give_up)
      throw std::runtime_error("not ready: " + output);
    std::this_thread::sleep_for(50ms);
  }
  DevOutput parsed;
  std::smatch match;
  if (std::regex_search(output, match, std::regex("contract  (0x[0-9a-fA-F]{40})"))) {
    parsed.contract = match[1];
  }
  const std::regex account("    ([a-z]+(?: [0-9])?) +(0x[0-9a-fA-F]{40})  key 0x[0-9a-f]{64}");
  for (auto it = std::sregex_iterator(output.begin(), output.end(), account);
       it != std::sregex_iterator(); ++it) {
    parsed.accounts[(*it)[1]] = (*it)[2];
  }
  parsed.resumed = output.find("resumed") != std::string::npos;
  EXPECT_NE(output.find("DEVELOPMENT ONLY"), std::string::npos);
  return {std::move(process), parsed};
}

// GET /readyz until it answers 200 (for up to about 10 s); its last status.
int ready_status(chain::HttpClient& node) {
  int status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {
    auto ready = node.send({"GET", "/readyz", {}, "", ""}, 2s);
    status = ready.ok() ? ready->status : 0;
    if (status != 200) std::this_thread::sleep_for(50ms);
  }
  return status;
}

struct ChainView {
  chain::EthClient client;
  chain::Contract medchain;
  ChainView(std::uint16_t port, const std::string& contract)
      : client(chain::HttpEndpoint::parse("http://127.0.0.1:" + std::to_string(port)).value()),
        medchain(std::make_shared<const chain::ContractAbi>(
                     chain::ContractAbi::from_artifact(medchain_artifact()).value()),
                 from_hex_fixed<Address>(contract).value(), client) {}
  eth::abi::Value view(std::string_view function, const std::string& address) {
    return medchain.call(function, {from_hex_fixed<Address>(address).value()}).value()[0];
  }
};

// The Postman environment beside the other state files: the collection's variables, with live
// sessions of the demo accounts.
void expect_postman_environment(const fs::path& dir, chain::HttpClient& node,
                                std::uint16_t node_port, const nlohmann::json& node_info) {
  const fs::path path = dir / "medchain-dev.postman_environment.json";
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::others_read, fs::perms::none);
  const nlohmann::json environment = nlohmann::json::parse(read_all(path), nullptr, false);
  ASSERT_TRUE(environment.is_object()) << path << " is not JSON";
  EXPECT_EQ(environment["_postman_variable_scope"], "environment");
  EXPECT_TRUE(environment["id"].is_string());
  EXPECT_TRUE(environment["name"].is_string());
  std::map<std::string, std::string> values;
  for (const nlohmann::json& entry : environment["values"]) {
    EXPECT_EQ(entry["enabled"], true);
    values[entry["key"]] = entry["value"];
  }
  for (const char* key :
       {"baseUrl", "chainId", "nodeId", "patient", "patientToken", "encryptionKey", "doctor",
        "doctorToken", "otherPatient", "otherPatientToken", "logoutToken", "stranger"}) {
    EXPECT_FALSE(values[key].empty()) << key;
  }
  EXPECT_EQ(values["baseUrl"], "http://127.0.0.1:" + std::to_string(node_port));
  EXPECT_EQ(values["chainId"], "31337");
  EXPECT_EQ(values["nodeId"], node_info["nodeId"]);
  // Each token is a session of the account it is named after.
  for (const auto& [token, address] : {std::pair{"patientToken", "patient"},
                                       {"logoutToken", "patient"},
                                       {"doctorToken", "doctor"},
                                       {"otherPatientToken", "otherPatient"}}) {
    auto me =
        node.send({"GET", "/v1/me", {{"Authorization", "Bearer " + values[token]}}, "", ""}, 2s);
    ASSERT_TRUE(me.ok());
    ASSERT_EQ(me->status, 200) << token << ": " << me->body;
    EXPECT_EQ(nlohmann::json::parse(me->body)["address"], values[address]) << token;
  }
  // newman runs the collection's folders that need no record of the test harness's
  // (newman_test.cpp builds those) with this environment alone.
  const fs::path newman = fs::path(MEDCHAIN_NODE_BIN_DIR) / "newman";
  ASSERT_TRUE(fs::exists(newman)) << newman << " is missing: run scripts/setup (npm ci)";
  const ProcessResult run = run_process(
      {newman.string(), "run",
       (fs::path(MEDCHAIN_SOURCE_DIR) / "docs/api/medchain.postman_collection.json").string(),
       "--environment", path.string(), "--folder", "Health and the node", "--folder", "Sessions",
       "--folder", "Directory", "--color", "off", "--disable-unicode"},
      120s);
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST(DevCommand, DeploysCreatesDemoAccountsAndResumesAfterARestart) {
  const fs::path dir = fs::temp_directory_path() / ("medchain-dev-" + to_hex(random_hash()));
  const std::uint16_t port = pick_free_loopback_port().value();
  const std::uint16_t node_port = pick_free_loopback_port().value();
  const fs::path log = dir.string() + ".log";

  auto [first, fresh] = start_dev(dir, port, node_port, log);
  {
    // The node is up and has indexed the demo accounts.
    chain::HttpClient node(
        chain::HttpEndpoint::parse("http://127.0.0.1:" + std::to_string(node_port)).value());
    EXPECT_EQ(ready_status(node), 200);
    // It relays, and it is the registered storage node its operator anchors for.
    auto info = node.send({"GET", "/v1/node", {}, "", ""}, 2s);
    ASSERT_TRUE(info.ok());
    const nlohmann::json node_info = nlohmann::json::parse(info->body);
    EXPECT_EQ(node_info["relays"], true);
    EXPECT_NE(node_info["nodeId"], to_hex(Hash32{}));
    // The web app may reach the chain's JSON-RPC: the built-in wallet checks the node there.
    EXPECT_NE(info->header("Content-Security-Policy")
                  .find("connect-src 'self' http://127.0.0.1:" + std::to_string(port)),
              std::string::npos);
    expect_postman_environment(dir, node, node_port, node_info);
  }
  EXPECT_FALSE(fresh.resumed);
  ASSERT_FALSE(fresh.contract.empty());
  ASSERT_EQ(fresh.accounts.size(), 5u);
  {
    ChainView chain(port, fresh.contract);
    EXPECT_TRUE(chain.view("isRegistrar", fresh.accounts["registrar"]).flag());
    EXPECT_EQ(chain.view("doctors", fresh.accounts["doctor 1"]).word(), 1u);  // verified
    EXPECT_EQ(chain.view("doctors", fresh.accounts["doctor 2"]).word(), 1u);
    EXPECT_TRUE(chain.view("patients", fresh.accounts["patient 1"]).flag());
    EXPECT_TRUE(chain.view("patients", fresh.accounts["patient 2"]).flag());
  }
  // A clean stop: anvil exits on SIGTERM and saves its state, long before stop()'s 10 s grace
  // for it would end in a SIGKILL.
  const auto stopping = std::chrono::steady_clock::now();
  EXPECT_EQ(first.stop(60s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 9s);
  EXPECT_NE(read_all(log).find("stopped"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "deployment.json"));
  EXPECT_EQ(fs::status(dir / "dev-accounts.json").permissions() & fs::perms::others_read,
            fs::perms::none);

  auto [second, again] = start_dev(dir, port, node_port, log);
  EXPECT_TRUE(again.resumed);
  EXPECT_EQ(again.contract, fresh.contract);
  EXPECT_EQ(again.accounts, fresh.accounts);
  {
    ChainView chain(port, again.contract);
    EXPECT_TRUE(chain.view("patients", again.accounts["patient 2"]).flag());
  }
  EXPECT_EQ(second.stop(60s), 0);

  // A contract built since the chain started (recorded as another artifact here) is deployed
  // anew on the same chain, with new demo accounts, rather than resumed.
  std::ofstream(dir / "dev-contract.sha256", std::ios::trunc) << to_hex(random_hash()) << "\n";
  auto [third, rebuilt] = start_dev(dir, port, node_port, log);
  EXPECT_FALSE(rebuilt.resumed);
  EXPECT_NE(rebuilt.contract, fresh.contract);
  EXPECT_NE(rebuilt.accounts, fresh.accounts);
  // The node indexes the new deployment from scratch; the old one's index is kept aside.
  const Address old_contract = eth::parse_address(fresh.contract).value();
  EXPECT_TRUE(fs::exists(dir / ("index-" + to_hex(old_contract.bytes, false) + ".db")));
  EXPECT_TRUE(fs::exists(dir / "index.db"));
  EXPECT_EQ(third.stop(60s), 0);
  fs::remove_all(dir);
  fs::remove(log);
}

// The original request names Ganache: `--chain ganache` runs the same system on it, in a
// directory of its own, and resumes it after a restart.
TEST(DevCommand, RunsOnGanacheAndResumesIt) {
  const fs::path dir = fs::temp_directory_path() / ("medchain-dev-" + to_hex(random_hash()));
  const std::uint16_t port = pick_free_loopback_port().value();
  const std::uint16_t node_port = pick_free_loopback_port().value();
  const fs::path log = dir.string() + ".log";

  auto [first, fresh] = start_dev(dir, port, node_port, log, "ganache");
  EXPECT_NE(read_all(log).find("(ganache, chain id 31337, new)"), std::string::npos)
      << read_all(log);
  EXPECT_FALSE(fresh.resumed);
  ASSERT_EQ(fresh.accounts.size(), 5u);
  {
    ChainView chain(port, fresh.contract);
    EXPECT_TRUE(chain.view("isRegistrar", fresh.accounts["registrar"]).flag());
    EXPECT_EQ(chain.view("doctors", fresh.accounts["doctor 1"]).word(), 1u);  // verified
    EXPECT_TRUE(chain.view("patients", fresh.accounts["patient 1"]).flag());
  }
  {
    // The node follows ganache's chain and has caught up with it.
    chain::HttpClient node(
        chain::HttpEndpoint::parse("http://127.0.0.1:" + std::to_string(node_port)).value());
    EXPECT_EQ(ready_status(node), 200);
  }
  EXPECT_EQ(first.stop(60s), 0);
  EXPECT_TRUE(fs::exists(dir / "ganache" / "deployment.json"));
  EXPECT_FALSE(fs::exists(dir / "deployment.json"));

  auto [second, again] = start_dev(dir, port, node_port, log, "ganache");
  EXPECT_TRUE(again.resumed);
  EXPECT_EQ(again.contract, fresh.contract);
  EXPECT_EQ(again.accounts, fresh.accounts);
  {
    ChainView chain(port, again.contract);
    EXPECT_TRUE(chain.view("patients", again.accounts["patient 2"]).flag());
  }
  EXPECT_EQ(second.stop(60s), 0);
  fs::remove_all(dir);
  fs::remove(log);
}

// `--nodes 3`: three nodes on the one chain, each registered as a storage node with an operator
// of its own, node 2 on PostgreSQL; a record added through node 1 is served by nodes 2 and 3 (the
// one placement names keeps a replica, the other fetches it from a peer at the read).
TEST(DevCommand, StartsThreeReplicatingNodesOnOneChain) {
  const fs::path dir = fs::temp_directory_path() / ("medchain-dev-" + to_hex(random_hash()));
  const std::uint16_t port = pick_free_loopback_port().value();
  const std::uint16_t node_port = pick_free_loopback_port().value();
  const fs::path log = dir.string() + ".log";

  auto [first, fresh] = start_dev(dir, port, node_port, log, "anvil", {"--nodes", "3"});
  const std::string output = read_all(log);
  struct Printed {
    std::string url, index, node_id;
  };
  std::vector<Printed> nodes;
  const std::regex line(
      "  node(?: [0-9])? +(http://127\\.0\\.0\\.1:[0-9]+)  \\(medchaind, (SQLite|PostgreSQL) "
      "index, node id (0x[0-9a-f]{64})");
  for (auto it = std::sregex_iterator(output.begin(), output.end(), line);
       it != std::sregex_iterator(); ++it) {
    nodes.push_back({(*it)[1], (*it)[2], (*it)[3]});
  }
  ASSERT_EQ(nodes.size(), 3u) << output;
  EXPECT_EQ(nodes[0].url, "http://127.0.0.1:" + std::to_string(node_port));
  EXPECT_EQ(nodes[1].index, "PostgreSQL");
  EXPECT_EQ(nodes[2].index, "SQLite");
  ChainView chain(port, fresh.contract);
  std::set<std::string> operators;
  for (const Printed& printed : nodes) {
    chain::HttpClient node(chain::HttpEndpoint::parse(printed.url).value());
    EXPECT_EQ(ready_status(node), 200) << printed.url;
    auto info = node.send({"GET", "/v1/node", {}, "", ""}, 2s);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(nlohmann::json::parse(info->body)["nodeId"], printed.node_id);
    // Registered on chain, each with an operator of its own.
    const Hash32 id = from_hex_fixed<Hash32>(printed.node_id).value();
    const auto registered =
        chain.medchain
            .call("storageNodes", {eth::abi::Value(Bytes(id.bytes.begin(), id.bytes.end()))})
            .value();
    EXPECT_NE(registered[0].address(), Address{}) << printed.url;
    operators.insert(to_hex(registered[0].address()));
  }
  EXPECT_EQ(operators.size(), 3u);
  EXPECT_TRUE(fs::exists(dir / "postgres" / "data" / "PG_VERSION"));

  // The demo patient adds a record through node 1; nodes 2 and 3 serve it.
  const CliRunner cli(dir / "home", {"--rpc-url", "http://127.0.0.1:" + std::to_string(port)});
  const std::string patient = cli.must({"keys", "import", "--dev-account", "patient 1", "--dev-dir",
                                        dir.string(), "--scrypt-n", "1024"})
                                  .value("address", "");
  ASSERT_FALSE(patient.empty());
  write_random_file(dir / "lab.pdf", 64 * 1024, 7);
  cli.must({"login", "--from", patient, "--node", nodes[0].url});
  const std::string record_id =
      cli.must({"records", "add", "--from", patient, "--file", (dir / "lab.pdf").string(),
                "--category", "lab", "--node", nodes[0].url})
          .value("recordId", "");
  ASSERT_FALSE(record_id.empty());
  std::string last_error;
  // The CLI keeps one saved session per account (the last login's node), so each read signs in.
  const auto served_by = [&](const Printed& node) {
    cli.must({"login", "--from", patient, "--node", node.url});
    const fs::path back = dir / ("back-" + node.url.substr(node.url.rfind(':') + 1));
    for (int attempt = 0; attempt < 100; ++attempt) {
      const ProcessResult got = cli.run({"records", "get", record_id, "--from", patient, "-o",
                                         back.string(), "--node", node.url});
      if (got.exit_code == 0) return same_file(dir / "lab.pdf", back);
      last_error = got.err;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };
  for (const Printed& node : {nodes[1], nodes[2]}) {
    EXPECT_TRUE(served_by(node)) << node.url
                                 << " never served the record added through node 1: " << last_error;
  }

  // Ctrl-C stops every node and the PostgreSQL server.
  EXPECT_EQ(first.stop(60s), 0);
  EXPECT_NE(read_all(log).find("stopped"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "postgres" / "data" / "postmaster.pid"));

  // A restart resumes all three: the same registrations, and the replica is still served.
  auto [second, again] = start_dev(dir, port, node_port, log, "anvil", {"--nodes", "3"});
  EXPECT_TRUE(again.resumed);
  EXPECT_NE(read_all(log).find(nodes[2].node_id), std::string::npos);
  EXPECT_TRUE(served_by(nodes[1])) << last_error;
  EXPECT_TRUE(served_by(nodes[2])) << last_error;
  EXPECT_EQ(second.stop(60s), 0);
  fs::remove_all(dir);
  fs::remove(log);
}

}  // namespace
}  // namespace medchain::test
