// `medchain index sync | verify`: runs the chain indexer into the node's index (SQLite in the
// data directory by default, or PostgreSQL), and checks an index against a rebuild from scratch.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <medchain/chain/deployment.hpp>
#include <medchain/chain/indexer.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/store/index_store.hpp>
#include <set>
#include <sstream>

#include "cli.hpp"

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;

struct IndexOptions {
  std::string rpc_url = "http://127.0.0.1:8545";
  fs::path data_dir = ".medchain";
  std::string database;  // default: <data dir>/index.db
  std::uint64_t confirmations = 0;
  std::uint64_t max_range = 2'000;
  fs::path artifact = fs::path(MEDCHAIN_SOURCE_DIR) / "contracts/out/Medchain.sol/Medchain.json";
  bool follow = false;

  std::string database_location() const {
    return database.empty() ? (data_dir / "index.db").string() : database;
  }
};

std::atomic<bool> g_stop{false};

// Everything an index command needs: the node, the contract, the deployment.
struct ChainAccess {
  std::unique_ptr<chain::EthClient> client;
  std::unique_ptr<chain::Contract> medchain;
  std::unique_ptr<chain::Contract> recovery;
  chain::Deployment deployment;

  // What medchaind indexes: Medchain's events and Recovery's.
  std::vector<const chain::Contract*> contracts() const { return {medchain.get(), recovery.get()}; }
};

Result<ChainAccess> connect(const IndexOptions& options) {
  ChainAccess access;
  MEDCHAIN_TRY(access.deployment, chain::read_deployment(options.data_dir));
  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse(options.rpc_url));
  access.client = std::make_unique<chain::EthClient>(endpoint);
  MEDCHAIN_TRY_STATUS(chain::check_deployment(*access.client, access.deployment));
  MEDCHAIN_TRY(chain::ContractAbi abi, chain::ContractAbi::from_artifact(options.artifact));
  access.medchain =
      std::make_unique<chain::Contract>(std::make_shared<const chain::ContractAbi>(std::move(abi)),
                                        access.deployment.address, *access.client);
  MEDCHAIN_TRY(access.recovery, chain::recovery_contract(*access.medchain, options.artifact));
  return access;
}

chain::IndexerOptions indexer_options(const IndexOptions& options, const chain::Deployment& d) {
  chain::IndexerOptions result;
  result.start_block = d.block;
  result.confirmations = options.confirmations;
  result.max_range = options.max_range;
  return result;
}

Status run_sync(const IndexOptions& options) {
  MEDCHAIN_TRY(ChainAccess access, connect(options));
  MEDCHAIN_TRY(auto database, store::open_database(options.database_location()));
  MEDCHAIN_TRY(auto index, store::IndexStore::open(*database));
  chain::Indexer indexer(*access.client, access.contracts(), *index,
                         indexer_options(options, access.deployment));
  if (options.follow) {
    struct sigaction action {};
    action.sa_handler = [](int) { g_stop = true; };
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    MEDCHAIN_TRY_STATUS(indexer.run(g_stop));
  } else {
    MEDCHAIN_TRY_STATUS(indexer.sync());
  }
  MEDCHAIN_TRY(std::optional<chain::BlockRef> checkpoint, index->checkpoint());
  MEDCHAIN_TRY(std::uint64_t events, index->event_count());
  std::cout << "indexed to block " << (checkpoint ? std::to_string(checkpoint->number) : "-")
            << " (" << events << " events)\n";
  return {};
}

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.insert(line);
  return lines;
}

Status run_verify(const IndexOptions& options) {
  MEDCHAIN_TRY(ChainAccess access, connect(options));
  MEDCHAIN_TRY(auto live_database, store::open_database(options.database_location()));
  MEDCHAIN_TRY(auto live, store::IndexStore::open(*live_database));
  MEDCHAIN_TRY(std::optional<chain::BlockRef> checkpoint, live->checkpoint());
  if (!checkpoint) return Error{Errc::kNotFound, "the index is empty; run medchain index sync"};

  // The rebuild goes exactly as far as the live index, into a scratch SQLite file.
  const fs::path scratch =
      fs::temp_directory_path() / ("medchain-verify-" + std::to_string(::getpid()) + ".db");
  const auto remove_scratch = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scratch.string() + suffix);
  };
  remove_scratch();
  std::string rebuilt_dump;
  {
    MEDCHAIN_TRY(auto scratch_database, store::open_sqlite(scratch));
    MEDCHAIN_TRY(auto rebuilt, store::IndexStore::open(*scratch_database));
    chain::IndexerOptions rebuild = indexer_options(options, access.deployment);
    rebuild.confirmations = 0;
    rebuild.stop_block = checkpoint->number;
    chain::Indexer indexer(*access.client, access.contracts(), *rebuilt, rebuild);
    auto synced = indexer.sync();
    if (synced.ok()) {
      auto dumped = rebuilt->dump();
      if (dumped.ok()) rebuilt_dump = std::move(*dumped);
    }
    if (!synced.ok()) {
      remove_scratch();
      return std::move(synced).error();
    }
  }
  remove_scratch();
  MEDCHAIN_TRY(std::string live_dump, live->dump());
  if (live_dump == rebuilt_dump) {
    std::cout << "the index matches a rebuild from the chain up to block " << checkpoint->number
              << "\n";
    return {};
  }
  const std::set<std::string> live_lines = lines_of(live_dump);
  const std::set<std::string> rebuilt_lines = lines_of(rebuilt_dump);
  for (const std::string& line : live_lines) {
    if (rebuilt_lines.count(line) == 0) std::cout << "- only in the index:   " << line << "\n";
  }
  for (const std::string& line : rebuilt_lines) {
    if (live_lines.count(line) == 0) std::cout << "+ only in the rebuild: " << line << "\n";
  }
  return Error{Errc::kCheckFailed, "the index differs from a rebuild from the chain"};
}

void add_common_options(CLI::App* cmd, const std::shared_ptr<IndexOptions>& options) {
  cmd->add_option("--rpc-url", options->rpc_url, "The chain's JSON-RPC endpoint")
      ->capture_default_str();
  cmd->add_option("--data-dir", options->data_dir, "Where deployment.json (and index.db) live")
      ->capture_default_str();
  cmd->add_option("--database", options->database,
                  "The index: a SQLite file or a postgresql:// URL (default <data dir>/index.db)");
  cmd->add_option("--max-range", options->max_range, "Blocks per eth_getLogs")
      ->capture_default_str();
  cmd->add_option("--artifact", options->artifact, "The contract's forge artifact")
      ->capture_default_str();
}

void add_index_commands(CLI::App& app) {
  auto* index = app.add_subcommand("index", "The node's index of the chain");
  index->require_subcommand(1);

  auto sync_options = std::make_shared<IndexOptions>();
  auto* sync = index->add_subcommand("sync", "Catch the index up with the chain");
  add_common_options(sync, sync_options);
  sync->add_option("--confirmations", sync_options->confirmations,
                   "Blocks to wait before indexing one (0 for instant-finality chains)")
      ->capture_default_str();
  sync->add_flag("--follow", sync_options->follow, "Keep following new blocks until Ctrl-C");
  on_run(sync, [sync_options]() { return run_sync(*sync_options); });

  auto verify_options = std::make_shared<IndexOptions>();
  auto* verify = index->add_subcommand(
      "verify", "Rebuild the index from the chain into a scratch store and print differences");
  add_common_options(verify, verify_options);
  on_run(verify, [verify_options]() { return run_verify(*verify_options); });
}

const bool kRegistered = register_top_level_group(&add_index_commands);

}  // namespace
}  // namespace medchain::cli
