// medchaind's routes (the HTTP API, docs/api.md and docs/api/openapi.yaml): health and
// readiness, Sign-In with Ethereum sessions, the directory of patients and doctors, records,
// ciphertext blobs (streamed both ways, with HTTP Range) and wrapped keys, consent views and
// the audit log. Every answer is JSON or a blob; every failure an RFC 9457 problem.
//
// Every read of a blob or a key is authorized from the index at the moment of the request and
// written to the audit log, as is every refusal. Thread-safe: each serving thread has a database
// connection of its own; what must be atomic is atomic in the database.
#pragma once

#include <chrono>
#include <functional>
#include <medchain/api/event_feed.hpp>
#include <medchain/api/http_server.hpp>
#include <medchain/chain/relayer.hpp>
#include <medchain/records/encryption_key.hpp>
#include <medchain/store/blob_store.hpp>
#include <medchain/store/index_store.hpp>
#include <medchain/store/node_store.hpp>
#include <memory>

namespace medchain::api {

struct NodeApiConfig {
  std::string siwe_domain;  // the authority sign-in messages must name, e.g. "127.0.0.1:8080"
  std::uint64_t chain_id = 0;
  Address contract;
  Hash32 node_id;  // this storage node's id on chain (zero when not registered)
  std::chrono::seconds nonce_lifetime{300};
  std::chrono::seconds session_idle{1'800};       // logged out after this long unused
  std::chrono::seconds session_lifetime{43'200};  // and after this long in any case
  std::uint64_t max_blob_bytes = std::uint64_t{4} << 30;
  unsigned max_concurrent_uploads = 8;  // more get 503 with Retry-After
  // The bytes this node keeps for one patient (0: no quota). Over it: 413 quota_exceeded.
  std::uint64_t quota_bytes_per_patient = 0;
  // Requests per second (bursts of twice that), per client IP and per signed-in address; 0
  // turns a limit off. Over it: 429 with Retry-After.
  double rate_limit_per_ip = 1'000;
  double rate_limit_per_address = 200;
  // Signed intents relayed per second per signer (bursts of ten times that, at least one),
  // whoever sends them: the relayer pays their gas. 0 turns the limit off.
  double relay_rate_per_signer = 5;
  std::filesystem::path web_root;  // the web app's build, served at /; empty: none
  // The node's emergency escrow custodian key (medchaind --custodian-key): with it, the node
  // takes shares deposited for that key and releases partials; without, it refuses both
  // (409 not_custodian). It stores policy documents and escrow-wrapped keys either way.
  std::optional<records::EncryptionKeyPair> custodian_key;
};

// One connection to the node's database with the stores on it. The API opens one per thread
// that serves requests, so requests on different threads never wait for each other's queries.
struct NodeStores {
  std::unique_ptr<store::Database> database;
  std::unique_ptr<store::IndexStore> index;
  std::unique_ptr<store::NodeStore> node;
};

namespace detail {
struct NodeContext;
struct Call;
}  // namespace detail

class NodeApi {
 public:
  // `open_stores` opens a connection to the node's database; it is called once per serving
  // thread, on that thread. The setters below are for before serving starts.
  NodeApi(NodeApiConfig config, std::function<Result<NodeStores>()> open_stores,
          store::BlobStore& blobs);
  ~NodeApi();

  // Handlers for HttpServer.
  Response handle(const Request& request);
  std::optional<Upload> upload(const Request& head);
  WebSocketAccept websocket(const Request& head);
  bool waits(const Request& head) const;
  Handlers handlers();

  // The real-time feed: the indexer publishes each block it applies here.
  EventFeed& feed();

  // Receives one JSON line per request answered (time, method, route template, status,
  // milliseconds, peer): the access log. Never the raw path or query, which may hold a token.
  void set_access_log(std::function<void(const std::string& line)> log);

  // The chain's head block number, for GET /metrics' index lag.
  void set_chain_head(std::function<Result<std::uint64_t>()> chain_head);

  // Serves GET /v1/accounts/{address}/nonce from `medchain`'s nonces(address) (without it,
  // the route answers 503). REQUIRES: `medchain` outlives the API.
  void set_contract(const chain::Contract& medchain);

  // Serves POST /v1/relay through `relayer` (without it, the route answers 503).
  void enable_relay(chain::Relayer& relayer, const chain::ContractAbi& abi,
                    chain::IntentDomain domain);

  // Fetches a version this node lacks from a peer, verified, into this node's stores (medchaind
  // --peer-fetch). With it, an authorized read of a blob the node does not hold fetches it first
  // (502 peer_fetch_failed when no peer served it intact, 504 peer_timeout); without, 404.
  // Called on the serving threads: it must serialize itself.
  void set_peer_fetch(std::function<Status(const store::RecordVersionRow& version)> fetch);

  // Unix seconds; tests may move time. The API's "now" is the later of this and the newest
  // indexed block's timestamp, so a chain whose clock ran ahead expires grants no later.
  void set_clock(std::function<std::uint64_t()> clock);

  // kPeer: another storage node, by a request its registered operator signed (docs/api.md, "Peer
  // API"; federation/peer_verifier.hpp).
  enum class Access { kPublic, kSignedIn, kPeer };
  // Every route the API serves: what docs/api/openapi.yaml must describe, no more, no less.
  struct Route {
    const char* method;
    const char* path;  // an OpenAPI path template: /v1/blobs/{digest}
    Access access;
    Response (*serve)(detail::NodeContext& node, const detail::Call& call);
    // For a route whose request body streams (a blob upload) instead of `serve`.
    std::optional<Upload> (*stream)(detail::NodeContext& node, const detail::Call& call) = nullptr;
    // Whether the handler may wait on the chain for seconds (answered off the event loops).
    bool waits_on_chain = false;
  };
  static const std::vector<Route>& routes();

 private:
  void add_gauges();
  std::unique_ptr<detail::NodeContext> context_;
};

}  // namespace medchain::api
