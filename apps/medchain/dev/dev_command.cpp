// `medchain dev`: the whole local system on loopback, for development only. Starts anvil (or
// ganache, `--chain ganache`) with its state in the data directory (a restart resumes the same
// chain), deploys the contract and
// creates demo accounts on first start, starts the node (medchaind), and stops everything on
// Ctrl-C.
#include <signal.h>

#include <iomanip>
#include <iostream>
#include <medchain/chain/dev_chain.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <thread>

#include "cli.hpp"
#include "dev/demo_profiles.hpp"
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
};

// Starts medchaind on the dev chain with the SQLite index in the data directory, and waits
// until it answers. Its Content-Security-Policy lets the web app reach the chain's JSON-RPC
// (--connect-src), which the built-in wallet reads the chain through to check the node, and
// any other loopback port, where a development system's escrow custodians listen (a doctor's
// emergency read asks each at its own node; docs/ui.md).
Result<ChildProcess> start_node(const DevOptions& options, const std::string& chain_url,
                                const fs::path& data_dir, const DevSystem& system) {
  const std::string listen = "127.0.0.1:" + std::to_string(options.node_port);
  MEDCHAIN_TRY(
      ChildProcess node,
      ChildProcess::spawn(
          {options.node.string(), "--listen", listen, "--rpc-url", chain_url, "--data-dir",
           data_dir.string(), "--artifact", options.artifact.string(), "--relayer-key-file",
           system.relayer_key_file.string(), "--node-id", to_hex(system.node_id), "--connect-src",
           chain_url, "--connect-src", "http://127.0.0.1:*"},
          data_dir / "medchaind.log"));
  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse("http://" + listen));
  chain::HttpClient client(endpoint);
  for (int attempt = 0; attempt < 300; ++attempt) {
    auto health = client.send({"GET", "/healthz", {}, "", ""}, std::chrono::milliseconds(500));
    if (health.ok() && health->status == 200) return node;
    if (!node.running()) {
      return Error{Errc::kIo, "medchaind exited; see " + (data_dir / "medchaind.log").string()};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Error{Errc::kTimeout, "medchaind did not answer on " + listen};
}

void print_summary(std::ostream& out, const DevOptions& options, const std::string& url,
                   bool resumed, const DevSystem& system, const fs::path& data_dir) {
  const std::uint64_t chain_id = options.chain_id;
  const std::uint16_t node_port = options.node_port;
  out << "medchain dev: DEVELOPMENT ONLY. The keys below are public; never use them elsewhere.\n"
      << "  chain     " << url << "  (" << options.chain << ", chain id " << chain_id
      << (resumed ? ", resumed" : ", new") << ")\n"
      << "  contract  " << eth::to_checksum(system.deployment.address) << "  (block "
      << system.deployment.block << ")\n"
      << "  node      http://127.0.0.1:" << node_port << "  (medchaind, SQLite index, node id "
      << to_hex(system.node_id) << ")\n"
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
  MEDCHAIN_TRY(ChildProcess node, start_node(options, chain.url(), data_dir, system));
  MEDCHAIN_TRY_STATUS(publish_demo_profiles(
      system, "http://127.0.0.1:" + std::to_string(options.node_port), provisioned->number));
  MEDCHAIN_TRY_STATUS(write_postman_environment(
      data_dir, "http://127.0.0.1:" + std::to_string(options.node_port), system));
  print_summary(std::cout, options, chain.url(), resumed && system.resumed, system, data_dir);
  wait_for_stop_signal();
  std::cout << "stopping..." << std::endl;
  node.stop();
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
  on_run(cmd, [options]() { return run_dev(*options); });
}

const bool kRegistered = register_top_level_group(&add_dev_command);

}  // namespace
}  // namespace medchain::cli
