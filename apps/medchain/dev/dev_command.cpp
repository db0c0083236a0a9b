// `medchain dev`: the whole local system on loopback, for development only. Starts anvil (or
// ganache, `--chain ganache`) with its state in the data directory (a restart resumes the same
// chain), deploys the contract and
// creates demo accounts on first start, starts the node (medchaind), and stops everything on
// Ctrl-C. `--nodes N` starts N nodes on the one chain, each registered as a storage node and
// replicating the others' records, the second on a PostgreSQL server of its own (dev_nodes.hpp).
#include <signal.h>

#include <iomanip>
#include <iostream>
#include <optional>
#include <medchain/chain/dev_chain.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <thread>

#include "cli.hpp"
#include "dev/demo_profiles.hpp"
#include "dev/dev_nodes.hpp"
#include "dev/dev_postgres.hpp"
#include "dev/dev_system.hpp"
#include "dev/postman_environment.hpp"

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;

struct DevOptions {
  fs::path data_dir = ".medchain-dev";
  std::uint16_t chain_port = 8545;
  std::uint64_t chain_id = 31337;
  std::string chain = "anvil";
  fs::path anvil = fs::path(MEDCHAIN_SOURCE_DIR) / "node_modules/.bin/anvil";
  fs::path ganache = fs::path(MEDCHAIN_SOURCE_DIR) / "node_modules/.bin/ganache";
  fs::path artifact = fs::path(MEDCHAIN_SOURCE_DIR) / "contracts/out/Medchain.sol/Medchain.json";
  std::uint16_t node_port = 8080;
  fs::path node = MEDCHAIN_NODE_PATH;
  int nodes = 1;
};

// Starts medchaind `node` on the dev chain and waits until it answers. Its
// Content-Security-Policy lets the web app reach the chain's JSON-RPC (--connect-src), which the
// built-in wallet reads the chain through to check the node, and any other loopback port, where
// a development system's escrow custodians listen (a doctor's emergency read asks each at its
// own node; docs/ui.md) and the other nodes, which the page goes on at, real-time feed included
// (ws://), when node 1 stops answering. With several nodes each replicates the others' records;
// node 1 alone serves the web app.
Result<ChildProcess> start_node(const DevOptions& options, const std::string& chain_url,
                                const DevNode& node) {
  const std::string listen = node.url.substr(std::string("http://").size());
  std::vector<std::string> argv{options.node.string(),
                                "--listen",
                                listen,
                                "--rpc-url",
                                chain_url,
                                "--data-dir",
                                node.data_dir.string(),
                                "--artifact",
                                options.artifact.string(),
                                "--relayer-key-file",
                                node.operator_key_file.string(),
                                "--node-id",
                                to_hex(node.node_id),
                                "--connect-src",
                                chain_url,
                                "--connect-src",
                                "http://127.0.0.1:*",
                                "--connect-src",
                                "ws://127.0.0.1:*"};
  if (!node.database.empty()) argv.insert(argv.end(), {"--database", node.database});
  if (options.nodes > 1) {
    argv.push_back("--replicate");
    argv.push_back("--peer-fetch");
  }
  if (node.number > 1) argv.insert(argv.end(), {"--web-root", ""});
  const fs::path log = node.data_dir / "medchaind.log";
  MEDCHAIN_TRY(ChildProcess process, ChildProcess::spawn(argv, log));
  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse(node.url));
  chain::HttpClient client(endpoint);
  for (int attempt = 0; attempt < 300; ++attempt) {
    auto health = client.send({"GET", "/healthz", {}, "", ""}, std::chrono::milliseconds(500));
    if (health.ok() && health->status == 200) return process;
    if (!process.running()) return Error{Errc::kIo, "medchaind exited; see " + log.string()};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Error{Errc::kTimeout, "medchaind did not answer on " + listen};
}

void print_summary(std::ostream& out, const DevOptions& options, const std::string& url,
                   bool resumed, const DevSystem& system, const std::vector<DevNode>& nodes,
                   const fs::path& data_dir) {
  const std::uint64_t chain_id = options.chain_id;
  out << "medchain dev: DEVELOPMENT ONLY. The keys below are public; never use them elsewhere.\n"
      << "  chain     " << url << "  (" << options.chain << ", chain id " << chain_id
      << (resumed ? ", resumed" : ", new") << ")\n"
      << "  contract  " << eth::to_checksum(system.deployment.address) << "  (block "
      << system.deployment.block << ")\n";
  for (const DevNode& node : nodes) {
    // Node 1's line keeps the form scripts read ("  node      <url>").
    const std::string label = node.number == 1 ? "node" : "node " + std::to_string(node.number);
    out << "  " << std::left << std::setw(10) << label << node.url << "  (medchaind, "
        << (node.database.empty() ? "SQLite" : "PostgreSQL") << " index, node id "
        << to_hex(node.node_id) << (node.number == 1 ? ", web app" : "")
        << (nodes.size() > 1 ? ", replicating" : "") << ")\n";
  }
  out
      << "  data dir  " << data_dir.string() << "\n"
      << "  postman   " << (data_dir / kPostmanEnvironmentFile).string()
      << "  (the API collection's environment, demo accounts signed in)\n"
      << "  demo accounts:\n";
  for (const DemoAccount& account : system.accounts) {
    out << "    " << std::left << std::setw(10) << account.label << " "
        << eth::to_checksum(account.address) << "  key " << to_hex(account.key) << "\n";
  }
  out << "Press Ctrl-C to stop.\n" << std::flush;
}

Status run_dev(const DevOptions& options) {
  block_stop_signals();
  std::error_code ec;
  // A ganache system lives in a directory of its own: its chain, contract, accounts and the
  // node's index are another deployment than anvil's, and neither may resume the other's.
  const fs::path data_dir =
      fs::absolute(options.chain == "ganache" ? options.data_dir / "ganache" : options.data_dir);
  fs::create_directories(data_dir, ec);
  if (ec) return Error{Errc::kIo, "cannot create " + data_dir.string() + ": " + ec.message()};

  const bool ganache = options.chain == "ganache";
  chain::DevChainOptions chain_options;
  chain_options.kind = ganache ? chain::DevChainKind::kGanache : chain::DevChainKind::kAnvil;
  chain_options.executable = ganache ? options.ganache : options.anvil;
  chain_options.port = options.chain_port;
  chain_options.chain_id = options.chain_id;
  chain_options.state_file = data_dir / (ganache ? "ganache-db" : "chain-state.json");
  chain_options.log_file = data_dir / (options.chain + ".log");
  const bool resumed = fs::exists(*chain_options.state_file);
  MEDCHAIN_TRY(chain::DevChain chain, chain::DevChain::start(chain_options));

  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse(chain.url()));
  chain::EthClient client(endpoint);
  MEDCHAIN_TRY(DevSystem system,
               provision_dev_system(client, options.chain_id, options.artifact, data_dir,
                                    "http://127.0.0.1:" + std::to_string(options.node_port)));
  MEDCHAIN_TRY(std::optional<chain::BlockHeader> provisioned, client.latest_block());
  if (!provisioned) return Error{Errc::kProtocol, "the chain has no latest block"};
  MEDCHAIN_TRY(std::vector<DevNode> nodes,
               provision_dev_nodes(client, system, options.artifact, data_dir, options.node_port,
                                   options.nodes));
  std::optional<DevPostgres> postgres;
  if (nodes.size() > 1) {
    // Node 2 keeps its index on PostgreSQL, in a database per deployment.
    MEDCHAIN_TRY(postgres, DevPostgres::start(data_dir / "postgres"));
    MEDCHAIN_TRY(nodes[1].database,
                 postgres->database("node2_" + to_hex(system.deployment.address.bytes, false)));
  }
  std::vector<ChildProcess> processes;
  for (const DevNode& node : nodes) {
    MEDCHAIN_TRY(ChildProcess process, start_node(options, chain.url(), node));
    processes.push_back(std::move(process));
  }
  MEDCHAIN_TRY_STATUS(publish_demo_profiles(system, nodes[0].url, provisioned->number));
  MEDCHAIN_TRY_STATUS(write_postman_environment(data_dir, nodes[0].url, system));
  print_summary(std::cout, options, chain.url(), resumed && system.resumed, system, nodes,
                data_dir);
  wait_for_stop_signal();
  std::cout << "stopping..." << std::endl;
  for (auto process = processes.rbegin(); process != processes.rend(); ++process) process->stop();
  if (postgres) postgres->stop();
  chain.stop();
  std::cout << "stopped; the chain state is saved in " << chain_options.state_file->string()
            << "\n";
  return {};
}

void add_dev_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "dev", "Start a local development system: chain, contract, demo accounts and node");
  auto options = std::make_shared<DevOptions>();
  cmd->add_option("--data-dir", options->data_dir, "Where the chain state and logs live")
      ->capture_default_str();
  cmd->add_option("--chain-port", options->chain_port, "The chain's JSON-RPC port on 127.0.0.1")
      ->capture_default_str();
  cmd->add_option("--chain-id", options->chain_id, "The development chain's id")
      ->capture_default_str();
  cmd->add_option("--chain", options->chain, "The development chain: anvil or ganache")
      ->check(CLI::IsMember({"anvil", "ganache"}))
      ->capture_default_str();
  cmd->add_option("--anvil", options->anvil, "The anvil executable")->capture_default_str();
  cmd->add_option("--ganache", options->ganache, "The ganache executable")->capture_default_str();
  cmd->add_option("--artifact", options->artifact, "The contract's forge artifact")
      ->capture_default_str();
  cmd->add_option("--node-port", options->node_port, "medchaind's port on 127.0.0.1")
      ->capture_default_str();
  cmd->add_option("--node", options->node, "The medchaind executable")->capture_default_str();
  cmd->add_option("--nodes", options->nodes,
                  "How many nodes to start (at --node-port and the ports after it); with 2 or "
                  "more, each replicates the others' records (and fetches one it lacks from a peer "
                  "when read), and node 2 runs on PostgreSQL")
      ->check(CLI::Range(1, 9))
      ->capture_default_str();
  on_run(cmd, [options]() { return run_dev(*options); });
}

const bool kRegistered = register_top_level_group(&add_dev_command);

}  // namespace
}  // namespace medchain::cli
