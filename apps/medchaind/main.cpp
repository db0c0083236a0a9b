// medchaind, the storage node: follows the chain into its index and serves the HTTP API
// (docs/api.md). So far: health, readiness, Sign-In with Ethereum sessions and the caller's
// roles; records, blobs, keys, consent, audit and the real-time feed come with issue 6.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <iostream>
#include <medchain/api/node_api.hpp>
#include <medchain/chain/deployment.hpp>
#include <medchain/chain/indexer.hpp>
#include <medchain/core/process.hpp>
#include <medchain/eth/address.hpp>
#include <thread>

namespace medchain {
namespace {

namespace fs = std::filesystem;

struct NodeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string rpc_url = "http://127.0.0.1:8545";
  fs::path data_dir = ".medchain";
  std::string database;  // default <data dir>/index.db
  std::string domain;    // default: the listen address
  std::uint64_t confirmations = 0;
  fs::path artifact = fs::path(MEDCHAIN_SOURCE_DIR) / "contracts/out/Medchain.sol/Medchain.json";
};

Result<api::ServerOptions> server_options(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Error{Errc::kInvalidArgument, "--listen is HOST:PORT"};
  api::ServerOptions options;
  options.address = listen.substr(0, colon);
  try {
    const int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    options.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    return Error{Errc::kInvalidArgument, "--listen has no valid port: " + listen};
  }
  return options;
}

Status run(const NodeOptions& options) {
  // Signals are taken by wait_for_stop_signal below, not by whichever thread happens to run.
  block_stop_signals();

  MEDCHAIN_TRY(api::ServerOptions server, server_options(options.listen));
  MEDCHAIN_TRY(chain::Deployment deployment, chain::read_deployment(options.data_dir));
  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse(options.rpc_url));
  chain::EthClient client(endpoint);
  MEDCHAIN_TRY_STATUS(chain::check_deployment(client, deployment));
  MEDCHAIN_TRY(chain::ContractAbi abi, chain::ContractAbi::from_artifact(options.artifact));
  const chain::Contract medchain(std::make_shared<const chain::ContractAbi>(std::move(abi)),
                                 deployment.address, client);
  const std::string location =
      options.database.empty() ? (options.data_dir / "index.db").string() : options.database;

  // Two connections: the indexer writes through one, the API reads (and keeps sessions and the
  // audit log) through the other.
  MEDCHAIN_TRY(auto indexer_database, store::open_database(location));
  MEDCHAIN_TRY(auto indexer_store, store::IndexStore::open(*indexer_database));
  MEDCHAIN_TRY(auto api_database, store::open_database(location));
  MEDCHAIN_TRY(auto api_index, store::IndexStore::open(*api_database));
  MEDCHAIN_TRY(auto api_node, store::NodeStore::open(*api_database));

  chain::IndexerOptions indexing;
  indexing.start_block = deployment.block;
  indexing.confirmations = options.confirmations;
  chain::Indexer indexer(client, medchain, *indexer_store, indexing);
  std::atomic<bool> stop{false};
  Status indexer_status{};
  std::thread indexing_thread([&] {
    indexer_status = indexer.run(stop);
    if (!indexer_status.ok()) {
      std::cerr << "medchaind: the indexer stopped: " << indexer_status.error().message << "\n";
      ::kill(::getpid(), SIGTERM);  // a node without its index must not serve
    }
  });

  api::NodeApiConfig config;
  config.siwe_domain = options.domain.empty() ? options.listen : options.domain;
  config.chain_id = deployment.chain_id;
  api::NodeApi api(config, *api_index, *api_node);
  auto http = api::HttpServer::start(
      server, [&api](const api::Request& request) { return api.handle(request); });
  if (!http.ok()) {
    stop = true;
    indexing_thread.join();
    return std::move(http).error();
  }
  std::cout << "medchaind: serving http://" << server.address << ":" << (*http)->port()
            << " for contract " << eth::to_checksum(deployment.address) << " on chain "
            << deployment.chain_id << std::endl;
  wait_for_stop_signal();
  (*http)->stop();
  stop = true;
  indexing_thread.join();
  std::cout << "medchaind: stopped" << std::endl;
  return indexer_status;
}

}  // namespace
}  // namespace medchain

int main(int argc, char** argv) {
  medchain::NodeOptions options;
  CLI::App app{"medchaind: the medchain storage node"};
  app.set_version_flag("--version", "medchaind 0.1.0");
  app.add_option("--listen", options.listen, "HOST:PORT to serve the API on")
      ->capture_default_str();
  app.add_option("--rpc-url", options.rpc_url, "The chain's JSON-RPC endpoint")
      ->capture_default_str();
  app.add_option("--data-dir", options.data_dir, "Where deployment.json (and index.db) live")
      ->capture_default_str();
  app.add_option("--database", options.database,
                 "A SQLite file or a postgresql:// URL (default <data dir>/index.db)");
  app.add_option("--domain", options.domain,
                 "The authority Sign-In with Ethereum messages must name (default: --listen)");
  app.add_option("--confirmations", options.confirmations, "Blocks to wait before indexing one")
      ->capture_default_str();
  app.add_option("--artifact", options.artifact, "The contract's forge artifact")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  const medchain::Status status = medchain::run(options);
  if (status.ok()) return 0;
  std::cerr << "medchaind: " << status.error().message << "\n";
  return status.error().code == medchain::Errc::kInvalidArgument ? 2 : 1;
}
