// `medchain deploy`: deploys the medchain contract to any JSON-RPC chain from a keystore
// account, which becomes the contract's admin, and writes the deployment record the node and
// the other commands read (deployment.json in the data directory).
#include <iostream>
#include <medchain/chain/deployment.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/keystore.hpp>

#include "cli.hpp"

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;

struct DeployOptions {
  std::string rpc_url;
  std::uint64_t chain_id = 0;
  std::string keystore;
  fs::path data_dir = ".medchain";
  fs::path artifact = fs::path(MEDCHAIN_SOURCE_DIR) / "contracts/out/Medchain.sol/Medchain.json";
  bool force = false;
  bool json = false;
};

constexpr const char* kPasswordVariable = "MEDCHAIN_PASSWORD";

Status run_deploy(const DeployOptions& options) {
  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse(options.rpc_url));
  chain::EthClient client(endpoint);
  if (!options.force) {
    // A live deployment is not replaced by accident: the record is what the node follows.
    if (auto existing = chain::read_deployment(options.data_dir); existing.ok()) {
      if (chain::check_deployment(client, *existing).ok()) {
        return Error{Errc::kConflict, "medchain is already deployed at " +
                                          eth::to_checksum(existing->address) + " (" +
                                          (options.data_dir / "deployment.json").string() +
                                          "); --force deploys another"};
      }
    }
  }
  MEDCHAIN_TRY(std::string keystore, read_input(options.keystore));
  MEDCHAIN_TRY(std::string password,
               read_password("Password for " + options.keystore + ": ", kPasswordVariable));
  MEDCHAIN_TRY(crypto::PrivateKey key, eth::decrypt_keystore(keystore, password));
  MEDCHAIN_TRY(chain::ContractAbi abi, chain::ContractAbi::from_artifact(options.artifact));
  MEDCHAIN_TRY(auto sender, chain::TransactionSender::connect(client, key, options.chain_id));
  MEDCHAIN_TRY(chain::Deployment deployment, chain::deploy(*sender, abi));
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec) return Error{Errc::kIo, "cannot create " + options.data_dir.string()};
  MEDCHAIN_TRY_STATUS(chain::write_deployment(options.data_dir, deployment));
  if (options.json) {
    std::cout << nlohmann::json{{"chainId", deployment.chain_id},
                                {"address", eth::to_checksum(deployment.address)},
                                {"block", deployment.block},
                                {"transactionHash", to_hex(deployment.transaction_hash)},
                                {"admin", eth::to_checksum(deployment.admin)}}
                     .dump()
              << "\n";
  } else {
    std::cout << "deployed medchain at " << eth::to_checksum(deployment.address) << " on chain "
              << deployment.chain_id << " (block " << deployment.block << ", admin "
              << eth::to_checksum(deployment.admin) << ")\n"
              << "record: " << (options.data_dir / "deployment.json").string() << "\n";
  }
  return {};
}

void add_deploy_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "deploy", "Deploy the medchain contract to a chain; the deploying account becomes admin");
  auto options = std::make_shared<DeployOptions>();
  cmd->add_option("--rpc-url", options->rpc_url, "The chain's JSON-RPC endpoint (http://...)")
      ->required();
  cmd->add_option("--chain-id", options->chain_id,
                  "The chain id the node must serve (a guard against the wrong chain)")
      ->required();
  cmd->add_option("--keystore", options->keystore,
                  "The deployer's keystore v3 file; the password comes from $MEDCHAIN_PASSWORD "
                  "or the terminal")
      ->required();
  cmd->add_option("--data-dir", options->data_dir, "Where deployment.json is written")
      ->capture_default_str();
  cmd->add_option("--artifact", options->artifact, "The contract's forge artifact")
      ->capture_default_str();
  cmd->add_flag("--force", options->force, "Deploy even if the data dir records a live deployment");
  cmd->add_flag("--json", options->json, "Print the deployment record as JSON");
  on_run(cmd, [options]() { return run_deploy(*options); });
}

const bool kRegistered = register_top_level_group(&add_deploy_command);

}  // namespace
}  // namespace medchain::cli
