// NodeApi's route table and dispatch: match the path template, sign the caller in where the
// route needs it, and hand the call to its handler (detail/routes.hpp).
#include <algorithm>
#include <cmath>
#include <ctime>
#include <medchain/api/detail/routes.hpp>
#include <medchain/api/node_api.hpp>
#include <medchain/api/static_files.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/eth/siwe.hpp>

namespace medchain::api {
namespace {

using detail::Call;
using detail::NodeContext;

constexpr auto kPublic = NodeApi::Access::kPublic;
constexpr auto kSignedIn = NodeApi::Access::kSignedIn;
constexpr auto kPeer = NodeApi::Access::kPeer;

// The segments of a path, one at a time: "/v1/me" gives "v1" then "me"; "/" gives one empty
// segment and "" none. Matching runs against every route on every request, so it allocates
// nothing but the parameters of the route that fits.
class Segments {
 public:
  explicit Segments(std::string_view path) : rest_(path), more_(!path.empty()) {}

  bool next(std::string_view& segment) {
    if (!more_) return false;
    if (rest_.front() == '/') rest_.remove_prefix(1);
    const auto slash = rest_.find('/');
    segment = rest_.substr(0, slash);
    if (slash == std::string_view::npos) {
      more_ = false;
    } else {
      rest_.remove_prefix(slash);
    }
    return true;
  }

 private:
  std::string_view rest_;
  bool more_;
};

// Whether `path` fits `pattern`, filling the {name} parameters.
bool match(std::string_view pattern, std::string_view path,
           std::map<std::string, std::string>& params) {
  Segments want(pattern);
  Segments have(path);
  std::map<std::string, std::string> found;
  for (;;) {
    std::string_view wanted;
    std::string_view had;
    const bool more_wanted = want.next(wanted);
    if (more_wanted != have.next(had)) return false;
    if (!more_wanted) break;
    if (wanted.size() > 2 && wanted.front() == '{' && wanted.back() == '}') {
      if (had.empty()) return false;
      found.emplace(std::string(wanted.substr(1, wanted.size() - 2)), std::string(had));
    } else if (wanted != had) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

struct Matched {
  const NodeApi::Route* route = nullptr;
  std::map<std::string, std::string> params;
  bool path_known = false;
  std::string allowed_methods;  // for a 405's Allow header
};

Matched find_route(const Request& request) {
  Matched matched;
  for (const NodeApi::Route& route : NodeApi::routes()) {
    std::map<std::string, std::string> params;
    if (!match(route.path, request.path, params)) continue;
    matched.path_known = true;
    if (!matched.allowed_methods.empty()) matched.allowed_methods += ", ";
    matched.allowed_methods += route.method;
    if (route.method == request.method) {
      matched.route = &route;
      matched.params = std::move(params);
      return matched;
    }
  }
  return matched;
}

// Whether `request` goes to a route that `pick` picks. Asked of every request before it is
// matched for its handler, so it tries only the few routes picked.
template <class Pick>
bool fits_route(const Request& request, Pick pick) {
  std::map<std::string, std::string> params;
  for (const NodeApi::Route& route : NodeApi::routes()) {
    if (pick(route) && route.method == request.method && match(route.path, request.path, params))
      return true;
  }
  return false;
}

Response unmatched(const Request& request, const Matched& matched) {
  if (matched.path_known) {
    Response response = problem(405, "method_not_allowed", "Method not allowed",
                                request.method + " is not allowed on " + request.path);
    response.headers.emplace_back("Allow", matched.allowed_methods);
    return response;
  }
  return problem(404, "not_found", "Not found", "no route " + request.path);
}

// The routes a page of another origin may call (CORS): every route of the client API, for two
// pages served by other nodes. A custodian's node is called by the page of its user's own node
// (docs/api.md, "Emergency escrow"), and a page whose node stopped answering goes on at another
// registered node (docs/ui.md, "When the node is down"). A session is a bearer token a script
// must hold, never a cookie, so another origin's page gains nothing it could not do with its own
// token. The peer API is for nodes, never for pages.
bool open_to_other_origins(std::string_view, std::string_view path) {
  return path.rfind("/v1/", 0) == 0 && path.rfind("/v1/peer/", 0) != 0;
}

// The route open to other origins that `request` goes to, if any: for a preflight (OPTIONS), the
// one of the method it announces (Access-Control-Request-Method).
const NodeApi::Route* cross_origin_route(const Request& request) {
  const std::string& method = request.method == "OPTIONS"
                                  ? request.header("access-control-request-method")
                                  : request.method;
  std::map<std::string, std::string> params;
  for (const NodeApi::Route& route : NodeApi::routes()) {
    if (route.method == method && open_to_other_origins(route.method, route.path) &&
        match(route.path, request.path, params))
      return &route;
  }
  return nullptr;
}

// A CORS preflight (OPTIONS with Access-Control-Request-Method) for such a route: 204 naming
// its method and the headers a client sends (a blob upload's own among them).
Response preflight(const NodeApi::Route& route) {
  Response response = detail::no_content();
  response.headers = {{"Access-Control-Allow-Origin", "*"},
                      {"Access-Control-Allow-Methods", route.method},
                      {"Access-Control-Allow-Headers",
                       "Authorization, Content-Type, Medchain-Patient, Medchain-Category, "
                       "Medchain-Digest, Medchain-Category-Signature"},
                      {"Access-Control-Max-Age", "600"}};
  return response;
}

// Health checks and metrics are for the operator's probes: never rate limited.
bool is_probe(const Request& request) {
  return request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics";
}

// The call for a matched route, signed in when the route needs it; else the problem to answer
// (kUnavailable stands for "over the rate limit").
Result<Call> prepare_call(NodeContext& node, const Request& request, Matched& matched) {
  if (!is_probe(request) && !node.per_ip->allow(request.peer)) {
    return Error{Errc::kUnavailable, "rate"};
  }
  Call call{request, std::move(matched.params), std::nullopt};
  if (matched.route->access == kSignedIn) {
    MEDCHAIN_TRY(call.session, node.authenticate(request));
    if (!node.per_address->allow(to_hex(call.session->address))) {
      return Error{Errc::kUnavailable, "rate"};
    }
  }
  if (matched.route->access == kPeer) {
    auto peer = node.authenticate_peer(request);
    if (!peer.ok()) {
      // Every refusal is a 401 but the one that names a signer the chain registered for no
      // storage node (403), so a peer can tell a clock or nonce problem from not being a peer.
      // A failure of the node's own database passes through as itself.
      const Errc code = peer.error().code;
      if (code == Errc::kWrongChain || code == Errc::kConflict) {
        return Error{Errc::kUnauthenticated, peer.error().message};
      }
      return std::move(peer).error();
    }
    call.peer = *peer;
    if (!node.per_address->allow(to_hex(peer->operator_address))) {
      return Error{Errc::kUnavailable, "rate"};
    }
  }
  return call;
}

Response problem_of_call(const Error& error) {
  if (error.code == Errc::kUnavailable && error.message == "rate")
    return detail::too_many_requests();
  if (error.code == Errc::kUnauthenticated) {
    return problem(401, "peer_unauthenticated", "Unauthenticated", error.message);
  }
  if (error.code == Errc::kPermissionDenied) {
    return problem(403, "not_a_peer", "Not a peer", error.message);
  }
  return error.code == Errc::kCheckFailed ? detail::unauthenticated(error.message)
                                          : problem_for(error);
}

// The route's name in metrics and the access log ("GET /v1/me"), made once per route rather than
// once per request.
const std::string& route_label(const Matched& matched) {
  static const std::string kMethodNotAllowed = "method not allowed";
  static const std::string kOther = "other";
  static const std::vector<std::string> kLabels = [] {
    std::vector<std::string> labels;
    for (const NodeApi::Route& route : NodeApi::routes()) {
      labels.push_back(std::string(route.method) + " " + route.path);
    }
    return labels;
  }();
  if (!matched.route) return matched.path_known ? kMethodNotAllowed : kOther;
  return kLabels[static_cast<std::size_t>(matched.route - NodeApi::routes().data())];
}

}  // namespace

const std::vector<NodeApi::Route>& NodeApi::routes() {
  using namespace detail;
  static const std::vector<Route> kRoutes = {
      {"GET", "/healthz", kPublic,
       [](NodeContext&, const Call&) {
         return ok({{"status", "ok"}});
       }},
      {"GET", "/readyz", kPublic, ready},
      {"GET", "/metrics", kPublic,
       [](NodeContext& node, const Call&) {
         Response response;
         response.content_type = "text/plain; version=0.0.4";
         response.body = node.metrics.render();
         return response;
       }},
      {"GET", "/v1/node", kPublic, node_info},
      {"POST", "/v1/auth/nonce", kPublic, issue_nonce},
      {"POST", "/v1/auth/verify", kPublic, sign_in},
      {"POST", "/v1/auth/logout", kSignedIn, sign_out},
      {"GET", "/v1/me", kSignedIn, me},
      {"GET", "/v1/patients/{address}", kSignedIn, patient},
      {"GET", "/v1/doctors", kSignedIn, doctors},
      {"GET", "/v1/doctors/{address}/profile", kSignedIn, doctor_profile},
      {"PUT", "/v1/doctors/{address}/profile", kSignedIn, put_doctor_profile},
      {"GET", "/v1/patients/{address}/records", kSignedIn, patient_records},
      {"GET", "/v1/records/{recordId}", kSignedIn, record},
      {"POST", "/v1/blobs", kSignedIn, nullptr, upload_blob},
      {"GET", "/v1/blobs/{digest}", kSignedIn, download_blob},
      {"PUT", "/v1/records/{recordId}/versions/{version}/keys", kSignedIn, put_keys},
      {"PATCH", "/v1/records/{recordId}/versions/{version}", kSignedIn, set_category},
      {"GET", "/v1/records/{recordId}/versions/{version}/key", kSignedIn, own_key},
      {"GET", "/v1/records/{recordId}/versions/{version}/escrow-key", kSignedIn, escrow_key},
      {"PUT", "/v1/records/{recordId}/versions/{version}/escrow-key", kSignedIn, put_escrow_key},
      {"GET", "/v1/patients/{address}/escrow-policy", kSignedIn, escrow_policy},
      {"PUT", "/v1/patients/{address}/escrow-policy", kSignedIn, put_escrow_policy},
      {"PUT", "/v1/patients/{address}/escrow-share", kSignedIn, put_escrow_share},
      {"POST", "/v1/patients/{address}/escrow-partials", kSignedIn, release_escrow_partial},
      {"PUT", "/v1/records/{recordId}/versions/{version}/summary", kSignedIn, put_summary},
      {"GET", "/v1/patients/{address}/grants", kSignedIn, patient_grants},
      {"GET", "/v1/patients/{address}/requests", kSignedIn, patient_requests},
      {"GET", "/v1/patients/{address}/emergency", kSignedIn, patient_emergency},
      {"GET", "/v1/doctors/{address}/grants", kSignedIn, doctor_grants},
      {"GET", "/v1/doctors/{address}/requests", kSignedIn, doctor_requests},
      {"PUT", "/v1/doctors/{address}/reasons/{reasonHash}", kSignedIn, put_reason},
      {"GET", "/v1/audit", kSignedIn, audit_log},
      {"GET", "/v1/audit/{seq}/proof", kSignedIn, audit_proof},
      {"GET", "/v1/inbox", kSignedIn, inbox},
      {"POST", "/v1/inbox/read", kSignedIn, inbox_read},
      {"GET", "/v1/accounts/{address}/nonce", kPublic, account_nonce, nullptr,
       /*waits_on_chain=*/true},
      {"POST", "/v1/relay", kPublic, relay, nullptr, /*waits_on_chain=*/true},
      {"GET", "/v1/peer/versions/{recordId}/{version}", kPeer, peer_version},
      {"GET", "/v1/peer/blobs/{digest}", kPeer, peer_blob},
      {"GET", "/v1/events", kSignedIn,
       [](NodeContext&, const Call&) {
         return problem(426, "upgrade_required", "Upgrade required",
                        "GET /v1/events is a WebSocket: send Upgrade: websocket");
       }},
  };
  return kRoutes;
}

NodeApi::NodeApi(NodeApiConfig config, std::function<Result<NodeStores>()> open_stores,
                 store::BlobStore& blobs)
    : context_(std::make_unique<NodeContext>()) {
  context_->config = std::move(config);
  context_->open_stores = std::move(open_stores);
  context_->blobs = &blobs;
  context_->per_ip = std::make_unique<RateLimiter>(context_->config.rate_limit_per_ip,
                                                   2 * context_->config.rate_limit_per_ip);
  context_->per_address = std::make_unique<RateLimiter>(
      context_->config.rate_limit_per_address, 2 * context_->config.rate_limit_per_address);
  const double relay_rate = context_->config.relay_rate_per_signer;
  context_->relays_per_signer =
      std::make_unique<RateLimiter>(relay_rate, std::max(1.0, 10 * relay_rate));
  if (context_->config.node_id != Hash32{}) {
    context_->peers = std::make_unique<federation::PeerVerifier>(federation::PeerVerifierOptions{
        {context_->config.chain_id, context_->config.contract}, context_->config.node_id});
  }
  set_clock({});
  add_gauges();
}

void NodeApi::add_gauges() {
  NodeContext* node = context_.get();
  node->metrics.add_gauge("medchaind_indexed_block", "The newest block in the index.",
                          [node]() -> std::optional<double> {
                            auto checkpoint = node->index().checkpoint();
                            if (!checkpoint.ok() || !*checkpoint) return std::nullopt;
                            return static_cast<double>((*checkpoint)->number);
                          });
  node->metrics.add_gauge("medchaind_index_lag_blocks", "Blocks the chain is ahead of the index.",
                          [node]() -> std::optional<double> {
                            if (!node->chain_head) return std::nullopt;
                            auto head = node->chain_head();
                            auto checkpoint = node->index().checkpoint();
                            if (!head.ok() || !checkpoint.ok()) return std::nullopt;
                            const std::uint64_t indexed = *checkpoint ? (*checkpoint)->number : 0;
                            return static_cast<double>(*head > indexed ? *head - indexed : 0);
                          });
  node->metrics.add_gauge("medchaind_relays_in_flight", "Signed intents being relayed.",
                          [node] { return std::optional<double>(node->relays_in_flight.load()); });
  node->metrics.add_gauge("medchaind_uploads_in_flight", "Blob uploads in progress.",
                          [node] { return std::optional<double>(node->uploads_in_flight.load()); });
  node->metrics.add_gauge("medchaind_feed_sessions", "Open WebSocket feed sessions.", [node] {
    return std::optional<double>(static_cast<double>(node->feed.sessions()));
  });
}

void NodeApi::set_access_log(std::function<void(const std::string& line)> log) {
  context_->access_log = std::move(log);
}

void NodeApi::set_chain_head(std::function<Result<std::uint64_t>()> chain_head) {
  context_->chain_head = std::move(chain_head);
}

NodeApi::~NodeApi() = default;

void NodeApi::set_clock(std::function<std::uint64_t()> clock) {
  if (!clock) {
    clock = [] {
      return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
    };
  }
  context_->clock = std::move(clock);
}

void NodeApi::set_peer_fetch(std::function<Status(const store::RecordVersionRow&)> fetch) {
  context_->fetch_from_peer = std::move(fetch);
}

void NodeApi::set_contract(const chain::Contract& medchain) {
  context_->medchain = &medchain;
}

void NodeApi::enable_relay(chain::Relayer& relayer, const chain::ContractAbi& abi,
                           chain::IntentDomain domain) {
  context_->relayer = &relayer;
  context_->abi = &abi;
  context_->domain = domain;
}

Response NodeApi::handle(const Request& request) {
  const auto started = std::chrono::steady_clock::now();
  Matched matched = find_route(request);
  const std::string& label = route_label(matched);
  const NodeApi::Route* cross_origin =
      request.header("origin").empty() ? nullptr : cross_origin_route(request);
  Response response = [&] {
    if (cross_origin && request.method == "OPTIONS") return preflight(*cross_origin);
    // The API's own namespace never falls back to the app: an unknown /v1 path is a 404.
    if (!matched.route && !context_->config.web_root.empty() &&
        request.path.rfind("/v1/", 0) != 0) {
      if (auto file = serve_static(context_->config.web_root, request)) return std::move(*file);
    }
    if (!matched.route || !matched.route->serve) return unmatched(request, matched);
    auto call = prepare_call(*context_, request, matched);
    if (!call.ok()) return problem_of_call(call.error());
    return matched.route->serve(*context_, *call);
  }();
  if (cross_origin && request.method != "OPTIONS") {
    response.headers.emplace_back("Access-Control-Allow-Origin", "*");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  context_->metrics.observe(label, response.status, seconds);
  if (context_->access_log) {
    const nlohmann::json line{
        {"time", eth::format_rfc3339(static_cast<std::int64_t>(std::time(nullptr)))},
        {"method", request.method},
        {"route", label},
        {"status", response.status},
        {"ms", std::round(seconds * 1e5) / 100},
        {"peer", request.peer}};
    context_->access_log(line.dump());
  }
  return response;
}

std::optional<Upload> NodeApi::upload(const Request& head) {
  if (!fits_route(head, [](const Route& route) { return route.stream != nullptr; })) {
    return std::nullopt;
  }
  Matched matched = find_route(head);
  if (!matched.route || !matched.route->stream) return std::nullopt;
  auto call = prepare_call(*context_, head, matched);
  if (!call.ok()) return Upload{nullptr, 0, problem_of_call(call.error())};
  std::optional<Upload> upload = matched.route->stream(*context_, *call);
  if (upload && !upload->sink) {
    context_->metrics.observe(route_label(matched), upload->refusal.status, 0);
  }
  return upload;
}

WebSocketAccept NodeApi::websocket(const Request& head) {
  WebSocketAccept accept;
  if (head.path != "/v1/events" || head.method != "GET") {
    accept.refusal = problem(404, "not_found", "Not found", "no WebSocket at " + head.path);
    return accept;
  }
  if (!context_->per_ip->allow(head.peer)) {
    accept.refusal = detail::too_many_requests();
    return accept;
  }
  Result<store::Session> session = [&] { return context_->authenticate(head); }();
  if (!session.ok()) {
    accept.refusal = problem_of_call(session.error());
    return accept;
  }
  // The session id is known once the handshake completes; on_close can only come after.
  auto id = std::make_shared<std::uint64_t>(0);
  NodeContext* context = context_.get();
  accept.accepted = true;
  accept.on_open = [context, id, opened = *session](std::shared_ptr<WebSocketPeer> peer) {
    *id = context->feed.attach(opened, std::move(peer));
  };
  accept.on_close = [context, id] { context->feed.detach(*id); };
  return accept;
}

EventFeed& NodeApi::feed() {
  return context_->feed;
}

bool NodeApi::waits(const Request& head) const {
  return fits_route(head, [](const Route& route) { return route.waits_on_chain; });
}

Handlers NodeApi::handlers() {
  return Handlers{[this](const Request& request) { return handle(request); },
                  [this](const Request& head) { return upload(head); },
                  [this](const Request& head) { return websocket(head); },
                  [this](const Request& head) { return waits(head); }};
}

}  // namespace medchain::api
