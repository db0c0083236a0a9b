// What every route handler of NodeApi shares (private to api/): the stores, the lock over the
// database connection, the clock, and small helpers for answers, parameters and the audit log.
#pragma once

#include <atomic>
#include <map>
#include <medchain/api/detail/session_cache.hpp>
#include <medchain/api/event_feed.hpp>
#include <medchain/api/metrics.hpp>
#include <medchain/api/node_api.hpp>
#include <medchain/api/problem.hpp>
#include <medchain/api/rate_limiter.hpp>
#include <medchain/chain/relayer.hpp>
#include <medchain/federation/peer_verifier.hpp>
#include <mutex>
#include <nlohmann/json.hpp>

namespace medchain::api::detail {

using nlohmann::json;

struct NodeContext {
  NodeContext();
  ~NodeContext();

  NodeApiConfig config;
  const std::uint64_t id;
  std::function<Result<NodeStores>()> open_stores;
  store::BlobStore* blobs = nullptr;
  std::function<std::uint64_t()> clock;
  std::atomic<unsigned> uploads_in_flight{0};
  SessionCache sessions;  // checked before the database by authenticate()
  EventFeed feed;
  Metrics metrics;
  std::unique_ptr<RateLimiter> per_ip;
  std::unique_ptr<RateLimiter> per_address;
  std::unique_ptr<RateLimiter> relays_per_signer;
  std::atomic<unsigned> relays_in_flight{0};
  std::function<Result<std::uint64_t>()> chain_head;  // for the index lag gauge
  std::function<void(const std::string&)> access_log;
  // Set when the node reads the contract directly (GET /v1/accounts/{address}/nonce).
  const chain::Contract* medchain = nullptr;
  // Set when the node relays signed intents (POST /v1/relay).
  chain::Relayer* relayer = nullptr;
  const chain::ContractAbi* abi = nullptr;
  chain::IntentDomain domain;
  // Set with --peer-fetch: fetches a version the node lacks from a peer (NodeApi::set_peer_fetch).
  std::function<Status(const store::RecordVersionRow&)> fetch_from_peer;
  // Set when the node has a node id (--node-id): it answers the peer routes.
  std::unique_ptr<federation::PeerVerifier> peers;

  // The calling thread's stores, opened on its first use (std::runtime_error if the database
  // cannot be opened: the server answers 500).
  store::IndexStore& index();
  store::NodeStore& node_store();
  NodeStores& stores();

  // The later of the clock and the newest indexed block's time.
  Result<std::uint64_t> now();
  // Appends one entry to the audit log and tells the patient's feed.
  Status audit(const Address& actor, std::string action, std::string subject,
               const Address& patient, bool allowed);
  // The session of the request's bearer token (refreshing its idle timer), from `sessions`
  // while fresh there, else from the database; kCheckFailed with the reason when there is none.
  Result<store::Session> authenticate(const Request& request);
  // The storage node calling a peer route, verified against the index's registry of storage
  // nodes (federation/peer_verifier.hpp for the refusals and their codes).
  Result<federation::PeerIdentity> authenticate_peer(const Request& request);
  // Whether `caller` is `patient` or one of their guardians.
  Result<bool> manages(const Address& patient, const Address& caller);
};

// One request on its way to a route.
struct Call {
  const Request& request;
  std::map<std::string, std::string> params;  // from the route's path template
  std::optional<store::Session> session;      // present on routes for signed-in callers
  std::optional<federation::PeerIdentity> peer = {};  // present on peer routes
  const Address& caller() const { return session->address; }
};

inline Response ok(const json& body, int status = 200) {
  Response response;
  response.status = status;
  response.body = body.dump();
  return response;
}
Response no_content();
Response unauthenticated(std::string_view detail);
Response forbidden(std::string_view detail);
Response bad_request(std::string_view detail);
Response too_many_requests();

// The request body as a JSON object, or kInvalidJson.
Result<json> json_body(const Request& request);
// A path or query parameter as an address or a 32-byte hash: kInvalidArgument naming it.
Result<Address> address_param(const Call& call, const std::string& name);
Result<Hash32> hash_param(const Call& call, const std::string& name);
// The value of `name` in the request's query string ("" when absent), percent-decoded.
std::string query_param(const Request& request, std::string_view name);

// JSON shapes shared by several routes.
json to_json(const Address& address);
json to_json(const Hash32& hash);
json scope_json(std::uint16_t scope);  // ["lab", "imaging"]
json permissions_json(std::uint8_t permissions);  // ["read", "append"]

}  // namespace medchain::api::detail
