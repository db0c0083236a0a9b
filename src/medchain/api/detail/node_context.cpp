#include <medchain/api/detail/node_context.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category.hpp>

namespace medchain::api::detail {

namespace {

// Each thread's open stores, by the context they belong to (an id, not an address, so a
// context created where an old one was never inherits its connections).
std::atomic<std::uint64_t> next_context_id{1};
thread_local std::map<std::uint64_t, NodeStores> thread_stores;

}  // namespace

NodeContext::NodeContext() : id(next_context_id++) {}

NodeContext::~NodeContext() {
  thread_stores.erase(id);  // this thread's; others close with their threads
}

NodeStores& NodeContext::stores() {
  auto found = thread_stores.find(id);
  if (found != thread_stores.end()) return found->second;
  auto opened = open_stores();
  if (!opened.ok()) throw std::runtime_error("cannot open the database: " + opened.error().message);
  return thread_stores.emplace(id, std::move(*opened)).first->second;
}

store::IndexStore& NodeContext::index() {
  return *stores().index;
}

store::NodeStore& NodeContext::node_store() {
  return *stores().node;
}

Result<std::uint64_t> NodeContext::now() {
  MEDCHAIN_TRY(std::uint64_t chain_time, index().latest_block_time());
  return std::max(clock(), chain_time);
}

Status NodeContext::audit(const Address& actor, std::string action, std::string subject,
                          const Address& patient, bool allowed) {
  store::AuditEntry entry;
  entry.at = clock();
  entry.actor = actor;
  entry.action = std::move(action);
  entry.subject = std::move(subject);
  entry.patient = patient;
  entry.allowed = allowed;
  MEDCHAIN_TRY(store::AuditEntry stored, node_store().append_audit(std::move(entry)));
  if (feed.sessions() > 0) {
    MEDCHAIN_TRY(std::optional<store::PatientRow> row, index().patient(stored.patient));
    feed.publish(stored, row ? row->guardians : std::vector<Address>{});
  }
  return {};
}

Result<federation::PeerIdentity> NodeContext::authenticate_peer(const Request& request) {
  if (!peers) {
    return Error{Errc::kUnauthenticated,
                 "this node has no node id (--node-id): it serves no peers"};
  }
  const std::string target =
      request.query.empty() ? request.path : request.path + "?" + request.query;
  const ByteView body(reinterpret_cast<const std::uint8_t*>(request.body.data()),
                      request.body.size());
  return peers->verify(request.header("authorization"), request.method, target, body, clock(),
                       [this](const Hash32& node_id) -> Result<std::optional<Address>> {
                         MEDCHAIN_TRY(auto row, index().storage_node(node_id));
                         if (!row) return std::optional<Address>();
                         return std::optional<Address>(row->operator_address);
                       });
}

Result<store::Session> NodeContext::authenticate(const Request& request) {
  std::string header = request.header("authorization");
  // A browser cannot set headers on a WebSocket: the feed also takes ?access_token= (RFC 6750
  // section 2.3).
  if (header.empty() && request.path == "/v1/events") {
    const std::string token = query_param(request, "access_token");
    if (!token.empty()) header = "Bearer " + token;
  }
  static constexpr std::string_view kBearer = "Bearer ";
  if (header.rfind(kBearer, 0) != 0) {
    return Error{Errc::kCheckFailed, "send Authorization: Bearer <token>"};
  }
  auto token = from_hex(std::string_view(header).substr(kBearer.size()));
  if (!token || token->size() != 32) return Error{Errc::kCheckFailed, "malformed session token"};
  const Hash32 token_hash = crypto::sha256(*token);
  const std::uint64_t at = clock();
  auto [session, epoch] = sessions.find(token_hash, at);
  const bool cached = session.has_value();
  if (!cached) {
    MEDCHAIN_TRY(session, node_store().session(token_hash));
  }
  if (!session || session->revoked) return Error{Errc::kCheckFailed, "no such session"};
  if (at >= session->expires_at) return Error{Errc::kCheckFailed, "the session has expired"};
  if (at > session->last_seen &&
      at - session->last_seen > static_cast<std::uint64_t>(config.session_idle.count())) {
    return Error{Errc::kCheckFailed, "the session was idle too long"};
  }
  if (cached) return *session;
  // The idle timer is kept to the second it matters at: a write per request would make every
  // read a durable write.
  if (at >= session->last_seen + SessionCache::kFreshFor) {
    MEDCHAIN_TRY_STATUS(node_store().touch_session(token_hash, at));
    session->last_seen = at;
  }
  sessions.put(*session, epoch);
  return *session;
}

Result<bool> NodeContext::manages(const Address& patient, const Address& caller) {
  return index().manages(patient, caller);
}

Response no_content() {
  Response response;
  response.status = 204;
  return response;
}

Response unauthenticated(std::string_view detail) {
  Response response = problem(401, "unauthenticated", "Sign in first", detail);
  response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"medchain\"");
  return response;
}

Response forbidden(std::string_view detail) {
  return problem(403, "forbidden", "Not allowed", detail);
}

Response too_many_requests() {
  Response response = problem(429, "rate_limited", "Too many requests",
                              "slow down: this client is over its request rate");
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

Response bad_request(std::string_view detail) {
  return problem(400, "invalid_argument", "Bad request", detail);
}

Result<json> json_body(const Request& request) {
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Error{Errc::kInvalidJson, "the request body must be a JSON object"};
  }
  return body;
}

namespace {
const std::string& param_text(const Call& call, const std::string& name) {
  static const std::string kEmpty;
  const auto found = call.params.find(name);
  return found == call.params.end() ? kEmpty : found->second;
}
}  // namespace

Result<Address> address_param(const Call& call, const std::string& name) {
  auto address = from_hex_fixed<Address>(param_text(call, name));
  if (!address) return Error{Errc::kInvalidArgument, name + " must be a 0x address"};
  return *address;
}

Result<Hash32> hash_param(const Call& call, const std::string& name) {
  auto hash = from_hex_fixed<Hash32>(param_text(call, name));
  if (!hash) return Error{Errc::kInvalidArgument, name + " must be 32 bytes of 0x hex"};
  return *hash;
}

std::string query_param(const Request& request, std::string_view name) {
  std::string_view query = request.query;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      std::string value;
      const std::string_view raw = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '+') {
          value += ' ';
        } else if (raw[i] == '%' && i + 2 < raw.size()) {
          auto byte = from_hex(raw.substr(i + 1, 2));
          if (byte && byte->size() == 1) {
            value += static_cast<char>((*byte)[0]);
            i += 2;
          } else {
            value += '%';  // not an escape: kept as it came
          }
        } else {
          value += raw[i];
        }
      }
      return value;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

json to_json(const Address& address) {
  return eth::to_checksum(address);
}

json to_json(const Hash32& hash) {
  return to_hex(hash);
}

json scope_json(std::uint16_t scope) {
  json names = json::array();
  for (std::uint8_t i = 0; i < records::kCategoryNames.size(); ++i) {
    if ((scope >> i) & 1) names.push_back(records::category_name(i));
  }
  return names;
}

json permissions_json(std::uint8_t permissions) {
  json names = json::array();
  if (permissions & 1) names.push_back("read");
  if (permissions & 2) names.push_back("append");
  return names;
}

}  // namespace medchain::api::detail
