// medchaind, the storage node: follows the chain into its index and serves the HTTP API
// (docs/api.md).
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <medchain/api/audit_anchorer.hpp>
#include <medchain/api/blob_collector.hpp>
#include <medchain/api/expiry_notifier.hpp>
#include <medchain/api/node_api.hpp>
#include <medchain/api/security_headers.hpp>
#include <medchain/chain/deployment.hpp>
#include <medchain/chain/indexer.hpp>
#include <medchain/chain/relayer.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/core/process.hpp>
#include <medchain/custody/custodian.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/replication/replicator.hpp>
#include <medchain/store/blob_location.hpp>
#include <mutex>
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
  fs::path relayer_key_file;    // a 0x hex private key; empty: the node does not relay
  fs::path custodian_key_file;  // a 0x hex X25519 secret; empty: the node is no escrow custodian
  std::string node_id;          // bytes32, as registered on chain by a registrar
  double anchor_interval = 60;  // seconds between audit anchors; 0: never
  double read_timeout = 15;     // seconds a client has for a request, or a piece of a blob
  std::uint64_t max_blob_bytes = std::uint64_t{4} << 30;
  std::uint64_t quota_bytes = 0;        // per patient; 0: none
  std::uint64_t orphan_grace = 86'400;  // seconds before an unnamed blob goes; 0: never
  double rate_limit_ip = 1'000;
  double rate_limit_address = 200;
  double relay_rate_signer = 5;
  fs::path web_root = fs::path(MEDCHAIN_SOURCE_DIR) / "web/dist";  // served when it exists
  bool access_log = false;
  std::string tls_certificate;  // PEM chain; with tls_key, the node serves HTTPS
  std::string tls_key;
  std::vector<std::string> connect_sources;  // more origins the web app may fetch from
  store::BlobLocation blobs;                 // default <data dir>/blobs on the local disk
  bool replicate = false;                    // pull versions homed on other registered nodes
  double replicate_interval = 1;             // seconds between replication passes
  std::size_t replicas = medchain::replication::kDefaultReplicas;  // r: holders of each version
  bool peer_fetch = false;  // fetch a blob this node lacks from a peer when a reader asks for it
};

// The relayer's key from its file: readable by its owner only, since it holds funds.
Result<crypto::PrivateKey> read_relayer_key(const fs::path& file) {
  std::error_code ec;
  const auto permissions = fs::status(file, ec).permissions();
  if (ec) return Error{Errc::kIo, "cannot read " + file.string() + ": " + ec.message()};
  if ((permissions & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
    return Error{Errc::kInvalidArgument, file.string() + " must be readable by its owner only"};
  }
  std::ifstream in(file);
  std::string text;
  in >> text;
  MEDCHAIN_TRY(Bytes bytes, from_hex(text));
  return crypto::parse_private_key(bytes);
}

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
  if (options.tls_certificate.empty() != options.tls_key.empty()) {
    return Error{Errc::kInvalidArgument, "--tls-certificate and --tls-key go together"};
  }
  if (!options.tls_certificate.empty()) {
    server.tls = api::TlsFiles{options.tls_certificate, options.tls_key};
  }
  for (const std::string& source : options.connect_sources) {
    if (source.empty() || source.find_first_of(";, \t'\"") != std::string::npos) {
      return Error{Errc::kInvalidArgument,
                   "--connect-src takes one origin, e.g. "
                   "http://127.0.0.1:8545, not \"" +
                       source + "\""};
    }
  }
  server.headers = api::security_headers({options.connect_sources});
  MEDCHAIN_TRY(chain::Deployment deployment, chain::read_deployment(options.data_dir));
  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse(options.rpc_url));
  chain::EthClient client(endpoint);
  MEDCHAIN_TRY_STATUS(chain::check_deployment(client, deployment));
  MEDCHAIN_TRY(chain::ContractAbi abi, chain::ContractAbi::from_artifact(options.artifact));
  const chain::Contract medchain(std::make_shared<const chain::ContractAbi>(std::move(abi)),
                                 deployment.address, client);
  MEDCHAIN_TRY(std::unique_ptr<chain::Contract> recovery,
               chain::recovery_contract(medchain, options.artifact));
  const std::string location =
      options.database.empty() ? (options.data_dir / "index.db").string() : options.database;

  // The indexer writes through a connection of its own.
  MEDCHAIN_TRY(auto indexer_database, store::open_database(location));
  MEDCHAIN_TRY(auto indexer_store, store::IndexStore::open(*indexer_database));
  // The API opens a connection per serving thread (and reads while the indexer writes: SQLite
  // in WAL mode, or PostgreSQL). Opened once here, so a database that cannot be opened stops
  // the node at start rather than failing requests.
  const auto open_stores = [location]() -> Result<api::NodeStores> {
    api::NodeStores stores;
    MEDCHAIN_TRY(stores.database, store::open_database(location));
    MEDCHAIN_TRY(stores.index, store::IndexStore::open(*stores.database));
    MEDCHAIN_TRY(stores.node, store::NodeStore::open(*stores.database));
    return stores;
  };
  MEDCHAIN_TRY_STATUS(open_stores());
  MEDCHAIN_TRY(std::unique_ptr<store::BlobStore> blobs,
               store::open_blob_store(options.blobs, options.data_dir / "blobs"));

  api::NodeApiConfig config;
  config.siwe_domain = options.domain.empty() ? options.listen : options.domain;
  config.chain_id = deployment.chain_id;
  config.contract = deployment.address;
  config.max_blob_bytes = options.max_blob_bytes;
  config.quota_bytes_per_patient = options.quota_bytes;
  config.rate_limit_per_ip = options.rate_limit_ip;
  config.rate_limit_per_address = options.rate_limit_address;
  config.relay_rate_per_signer = options.relay_rate_signer;
  if (fs::is_directory(options.web_root)) config.web_root = options.web_root;
  server.read_timeout = std::chrono::milliseconds(static_cast<long>(options.read_timeout * 1000));
  if (!options.node_id.empty()) {
    auto node_id = from_hex_fixed<Hash32>(options.node_id);
    if (!node_id) return Error{Errc::kInvalidArgument, "--node-id must be 32 bytes of 0x hex"};
    config.node_id = *node_id;
  }
  if (!options.custodian_key_file.empty()) {
    // Readable by its owner only, like the relayer key: with k - 1 others it opens escrows.
    std::error_code ec;
    const auto permissions = fs::status(options.custodian_key_file, ec).permissions();
    if (ec) return Error{Errc::kIo, "cannot read " + options.custodian_key_file.string()};
    if ((permissions & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
      return Error{Errc::kInvalidArgument,
                   options.custodian_key_file.string() + " must be readable by its owner only"};
    }
    MEDCHAIN_TRY(config.custodian_key, custody::read_custodian_key(options.custodian_key_file));
  }
  api::NodeApi api(config, open_stores, *blobs);
  api.set_chain_head([&client] { return client.block_number(); });
  api.set_contract(medchain);
  if (options.access_log) {
    api.set_access_log([](const std::string& line) {
      static std::mutex stdout_mutex;
      std::lock_guard lock(stdout_mutex);
      std::cout << line << std::endl;  // a line at a time, for log shippers
    });
  }
  std::unique_ptr<chain::TransactionSender> relayer_sender;
  std::unique_ptr<chain::Relayer> relayer;
  if (!options.relayer_key_file.empty()) {
    MEDCHAIN_TRY(crypto::PrivateKey key, read_relayer_key(options.relayer_key_file));
    MEDCHAIN_TRY(relayer_sender,
                 chain::TransactionSender::connect(client, key, deployment.chain_id));
    relayer = std::make_unique<chain::Relayer>(*relayer_sender, medchain);
    api.enable_relay(*relayer, medchain.abi(), {deployment.chain_id, deployment.address});
  }
  // The audit log is anchored from the relayer account, the node's registered operator, through
  // a connection of its own.
  MEDCHAIN_TRY(auto anchor_database, store::open_database(location));
  MEDCHAIN_TRY(auto anchor_store, store::NodeStore::open(*anchor_database));
  // Expiries are found by time, not by event, through one more connection.
  MEDCHAIN_TRY(auto expiry_database, store::open_database(location));
  MEDCHAIN_TRY(auto expiry_index, store::IndexStore::open(*expiry_database));
  api::ExpiryNotifier expiry_notifier(*expiry_index, api.feed());
  MEDCHAIN_TRY(auto expiry_node_store, store::NodeStore::open(*expiry_database));
  expiry_notifier.add_chore(
      "purging sign-ins",
      [&config, store = expiry_node_store.get()](std::uint64_t now) -> Status {
        const auto nonce_lifetime = static_cast<std::uint64_t>(config.nonce_lifetime.count());
        const auto idle = static_cast<std::uint64_t>(config.session_idle.count());
        MEDCHAIN_TRY_STATUS(store->purge_sign_ins(now - nonce_lifetime, now - idle, now));
        return {};
      },
      /*every=*/60);
  std::optional<api::BlobCollector> collector;
  if (options.orphan_grace > 0) {
    // Collecting needs an index that has read the chain up to (nearly) its head.
    collector.emplace(
        *expiry_node_store, *blobs, options.orphan_grace,
        [&client, index = expiry_index.get(), slack = options.confirmations + 2]() -> Result<bool> {
          MEDCHAIN_TRY(std::optional<chain::BlockRef> checkpoint, index->checkpoint());
          if (!checkpoint) return false;
          MEDCHAIN_TRY(std::uint64_t head, client.block_number());
          return checkpoint->number + slack >= head;
        });
    expiry_notifier.add_chore(
        "collecting unnamed blobs",
        [&collector](std::uint64_t now) -> Status {
          MEDCHAIN_TRY_STATUS(collector->collect(now));
          return {};
        },
        static_cast<unsigned>(std::clamp<std::uint64_t>(options.orphan_grace / 2, 1, 60)));
  }
  // Replication, and the fetch of a version a reader asks for that this node lacks, each pull
  // through a connection of its own, signing as the node's operator.
  struct Puller {
    std::unique_ptr<store::Database> database;
    std::unique_ptr<store::IndexStore> index;
    std::unique_ptr<store::NodeStore> node_store;
    std::optional<replication::Replicator> replicator;
  };
  const auto open_puller = [&](const char* flag) -> Result<std::unique_ptr<Puller>> {
    if (config.node_id == Hash32{} || options.relayer_key_file.empty()) {
      return Error{Errc::kInvalidArgument, std::string(flag) +
                                               " needs --node-id and --relayer-key-file (the "
                                               "node's operator key)"};
    }
    auto puller = std::make_unique<Puller>();
    MEDCHAIN_TRY(crypto::PrivateKey key, read_relayer_key(options.relayer_key_file));
    MEDCHAIN_TRY(puller->database, store::open_database(location));
    MEDCHAIN_TRY(puller->index, store::IndexStore::open(*puller->database));
    MEDCHAIN_TRY(puller->node_store, store::NodeStore::open(*puller->database));
    replication::ReplicatorOptions pulling;
    pulling.own_node = config.node_id;
    pulling.domain = {deployment.chain_id, deployment.address};
    pulling.operator_key = key;
    pulling.max_blob_bytes = options.max_blob_bytes;
    pulling.replicas = options.replicas;
    puller->replicator.emplace(pulling, *puller->index, *puller->node_store, *blobs);
    return puller;
  };
  std::unique_ptr<Puller> replicating;
  std::optional<replication::Replicator>* replicator = nullptr;
  if (options.replicate) {
    MEDCHAIN_TRY(replicating, open_puller("--replicate"));
    replicator = &replicating->replicator;
  }
  std::unique_ptr<Puller> peer_fetch;
  std::mutex peer_fetch_mutex;  // one fetch at a time on the fetch's connection
  if (options.peer_fetch) {
    MEDCHAIN_TRY(peer_fetch, open_puller("--peer-fetch"));
    api.set_peer_fetch([&peer_fetch, &peer_fetch_mutex](const store::RecordVersionRow& version) {
      const std::lock_guard lock(peer_fetch_mutex);
      return peer_fetch->replicator->pull_from_any(version,
                                                   static_cast<std::uint64_t>(std::time(nullptr)));
    });
  }
  const bool anchoring =
      relayer_sender && config.node_id != Hash32{} && options.anchor_interval > 0;
  std::optional<api::AuditAnchorer> anchorer;
  if (anchoring) anchorer.emplace(*anchor_store, *relayer_sender, medchain, config.node_id);

  // Nothing fails from here on but the server's bind: the threads start.
  chain::IndexerOptions indexing;
  indexing.start_block = deployment.block;
  indexing.confirmations = options.confirmations;
  chain::Indexer indexer(client, {&medchain, recovery.get()}, *indexer_store, indexing);
  indexer.subscribe([&api, index = indexer_store.get()](const chain::IndexedBlock& block) {
    // On the indexing thread, after the block's commit: its connection is free for lookups.
    api.feed().publish(block, [index](const Address& patient) -> Result<std::vector<Address>> {
      MEDCHAIN_TRY(std::optional<store::PatientRow> row, index->patient(patient));
      return row ? row->guardians : std::vector<Address>{};
    });
  });
  if (replicator) {
    // A new version (or a new peer) is replicated as soon as it is indexed, not at the next tick.
    indexer.subscribe([replicator](const chain::IndexedBlock& block) {
      const bool relevant = std::any_of(
          block.events.begin(), block.events.end(), [](const chain::IndexedEvent& event) {
            return event.name == "RecordAdded" || event.name == "RecordUpdated" ||
                   event.name == "StorageNodeRegistered";
          });
      if (relevant) (*replicator)->wake();
    });
  }
  std::atomic<bool> stop{false};
  Status indexer_status{};
  std::thread indexing_thread([&] {
    indexer_status = indexer.run(stop);
    if (!indexer_status.ok()) {
      std::cerr << "medchaind: the indexer stopped: " << indexer_status.error().message << "\n";
      ::kill(::getpid(), SIGTERM);  // a node without its index must not serve
    }
  });
  std::thread expiry_thread([&] { expiry_notifier.run(stop, std::chrono::seconds(1), std::cerr); });
  std::thread anchoring_thread;
  if (anchoring) {
    anchoring_thread = std::thread([&] {
      const auto interval =
          std::chrono::milliseconds(static_cast<long>(options.anchor_interval * 1000));
      anchorer->run(stop, interval, std::cerr);
    });
  }
  std::thread replication_thread;
  if (replicator) {
    replication_thread = std::thread([&] {
      const auto interval =
          std::chrono::milliseconds(static_cast<long>(options.replicate_interval * 1000));
      (*replicator)->run(stop, interval, std::cerr);
    });
  }
  auto http = api::HttpServer::start(server, api.handlers());
  if (!http.ok()) {
    stop = true;
    indexing_thread.join();
    if (replication_thread.joinable()) replication_thread.join();
    if (anchoring_thread.joinable()) anchoring_thread.join();
    expiry_thread.join();
    return std::move(http).error();
  }
  std::cout << "medchaind: serving " << (server.tls ? "https://" : "http://") << server.address
            << ":" << (*http)->port() << " for contract " << eth::to_checksum(deployment.address)
            << " on chain " << deployment.chain_id << std::endl;
  wait_for_stop_signal();
  (*http)->stop();
  stop = true;
  indexing_thread.join();
  if (replication_thread.joinable()) replication_thread.join();
  if (anchoring_thread.joinable()) anchoring_thread.join();
  expiry_thread.join();
  std::cout << "medchaind: stopped" << std::endl;
  return indexer_status;
}

}  // namespace
}  // namespace medchain

int main(int argc, char** argv) {
  medchain::NodeOptions options;
  CLI::App app{"medchaind: the medchain storage node"};
  app.set_version_flag("--version", "medchaind 0.1.0");
  // Every option may also come from the environment (MEDCHAIND_LISTEN, ...) or from a TOML
  // file given with --config; the command line wins, then the environment, then the file.
  app.set_config("--config", "", "A TOML file of these options (key = value)");
  const auto option = [&app](const std::string& name, auto& value, const std::string& help) {
    std::string variable = "MEDCHAIND_" + name.substr(2);
    for (char& c : variable) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
    return app.add_option(name, value, help)->envname(variable);
  };
  option("--listen", options.listen, "HOST:PORT to serve the API on")->capture_default_str();
  option("--rpc-url", options.rpc_url, "The chain's JSON-RPC endpoint")->capture_default_str();
  option("--data-dir", options.data_dir, "Where deployment.json (and index.db) live")
      ->capture_default_str();
  option("--database", options.database,
         "A SQLite file or a postgresql:// URL (default <data dir>/index.db)");
  option("--domain", options.domain,
         "The authority Sign-In with Ethereum messages must name (default: --listen)");
  option("--confirmations", options.confirmations, "Blocks to wait before indexing one")
      ->capture_default_str();
  option("--artifact", options.artifact, "The contract's forge artifact")->capture_default_str();
  option("--node-id", options.node_id,
         "This storage node's id on chain (bytes32 hex, registered by a registrar)");
  option("--read-timeout", options.read_timeout,
         "Seconds a client has to send a request (or each piece of a blob)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  option("--max-blob-bytes", options.max_blob_bytes, "The largest blob accepted")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  option("--quota-bytes", options.quota_bytes,
         "The bytes of blobs kept for one patient; more uploads get 413 (0: no quota)")
      ->capture_default_str();
  option("--orphan-grace", options.orphan_grace,
         "Seconds after which a blob that no on-chain record version names is removed (0: "
         "never)")
      ->capture_default_str();
  option("--rate-limit-ip", options.rate_limit_ip,
         "Requests per second per client IP, bursts of twice that (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  option("--rate-limit-address", options.rate_limit_address,
         "Requests per second per signed-in address (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  option("--relay-rate-signer", options.relay_rate_signer,
         "Intents relayed per second per signer, bursts of ten times that (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  option("--blobs", options.blobs.location,
         "Where blobs are kept: a directory (default <data dir>/blobs) or s3://BUCKET[/PREFIX] "
         "on S3-compatible object storage");
  option("--s3-endpoint", options.blobs.s3_endpoint,
         "The object store's http://HOST:PORT, for --blobs s3://...");
  option("--s3-region", options.blobs.s3_region, "The region requests are signed for")
      ->capture_default_str();
  option("--s3-credentials", options.blobs.s3_credentials_file,
         "A file (mode 0600) with aws_access_key_id = ... and aws_secret_access_key = ... lines "
         "(default: the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables)");
  option("--tls-certificate", options.tls_certificate,
         "A PEM certificate chain: serve HTTPS (and WSS) instead of plain HTTP");
  option("--tls-key", options.tls_key, "The PEM private key of --tls-certificate");
  app.add_flag("--access-log", options.access_log,
               "Write one JSON line per request to standard output")
      ->envname("MEDCHAIND_ACCESS_LOG");
  option("--web-root", options.web_root, "The web app's build, served at / when it exists")
      ->capture_default_str();
  option("--connect-src", options.connect_sources,
         "An origin the web app may also fetch from (its Content-Security-Policy's "
         "connect-src), e.g. the chain's JSON-RPC URL; repeatable");
  option("--anchor-interval", options.anchor_interval,
         "Seconds between anchors of the audit log on chain (0: never)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  option("--relayer-key-file", options.relayer_key_file,
         "A file (mode 0600) holding the 0x private key that pays for relayed intents");
  option("--custodian-key", options.custodian_key_file,
         "A file (mode 0600) holding this node's emergency escrow custodian key (0x hex X25519 "
         "secret, made by `medchain emergency custodian-key`): the node then takes escrow shares "
         "and releases partials to doctors with an open emergency window");
  app.add_flag("--replicate", options.replicate,
               "Keep a replica of every record version homed on another registered storage node "
               "that placement names this node for (--replicas), pulled from its peer API, and of "
               "its own versions it lacks, pulled from any "
               "peer's replica (needs --node-id and --relayer-key-file)")
      ->envname("MEDCHAIND_REPLICATE");
  app.add_flag("--peer-fetch", options.peer_fetch,
               "Fetch a record version this node lacks from a registered peer that holds it "
               "(its home node first), checked against the chain, when a reader who may read it "
               "asks (needs --node-id and --relayer-key-file)")
      ->envname("MEDCHAIND_PEER_FETCH");
  option("--replicas", options.replicas,
         "How many registered storage nodes keep each record version: its home node and the "
         "r - 1 others placement names for its record (every node of a federation is given the "
         "same r)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  option("--replicate-interval", options.replicate_interval,
         "Seconds between catch-up replication passes (a newly indexed version starts one at once)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
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
