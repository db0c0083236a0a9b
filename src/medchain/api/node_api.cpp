#include <openssl/rand.h>

#include <medchain/api/node_api.hpp>
#include <medchain/api/problem.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/siwe.hpp>
#include <nlohmann/json.hpp>

namespace medchain::api {
namespace {

using nlohmann::json;

Response ok(const json& body, int status = 200) {
  return Response{status, "application/json", body.dump(), {}};
}

Response unauthenticated(std::string_view detail) {
  return problem(401, "unauthenticated", "Sign in first", detail);
}

Bytes random_bytes(std::size_t size) {
  Bytes out(size);
  if (RAND_bytes(out.data(), static_cast<int>(size)) != 1) throw std::runtime_error("RAND_bytes");
  return out;
}

// 16 random alphanumeric characters (EIP-4361 asks for at least 8).
std::string new_nonce() {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string nonce;
  for (std::uint8_t byte : random_bytes(16)) nonce += kAlphabet[byte % 62];
  return nonce;
}

Result<json> json_body(const Request& request) {
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Error{Errc::kInvalidJson, "the request body must be a JSON object"};
  }
  return body;
}

}  // namespace

const std::vector<NodeApi::Route>& NodeApi::routes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/healthz",
       [](NodeApi&, const Request&) {
         return ok({{"status", "ok"}});
       }},
      {"GET", "/readyz", [](NodeApi& api, const Request&) { return api.ready(); }},
      {"POST", "/v1/auth/nonce", [](NodeApi& api, const Request&) { return api.issue_nonce(); }},
      {"POST", "/v1/auth/verify", [](NodeApi& api, const Request& r) { return api.sign_in(r); }},
      {"POST", "/v1/auth/logout", [](NodeApi& api, const Request& r) { return api.sign_out(r); }},
      {"GET", "/v1/me", [](NodeApi& api, const Request& r) { return api.me(r); }},
  };
  return kRoutes;
}

Response NodeApi::handle(const Request& request) {
  bool path_known = false;
  for (const Route& route : routes()) {
    if (route.path != request.path) continue;
    if (route.method == request.method) return route.serve(*this, request);
    path_known = true;
  }
  if (path_known) {
    return problem(405, "method_not_allowed", "Method not allowed",
                   request.method + " is not allowed on " + request.path);
  }
  return problem(404, "not_found", "Not found", "no route " + request.path);
}

Response NodeApi::ready() {
  std::lock_guard lock(mutex_);
  auto checkpoint = index_->checkpoint();
  if (!checkpoint.ok()) return problem_for(checkpoint.error());
  if (!*checkpoint) {
    return problem(503, "not_ready", "Not ready", "the index has not caught up with the chain yet");
  }
  return ok({{"status", "ready"}, {"indexedBlock", (*checkpoint)->number}});
}

Response NodeApi::issue_nonce() {
  const std::string nonce = new_nonce();
  std::lock_guard lock(mutex_);
  if (auto issued = node_->issue_nonce(nonce, clock()); !issued.ok()) {
    return problem_for(issued.error());
  }
  return ok({{"nonce", nonce}, {"expiresIn", config_.nonce_lifetime.count()}}, 201);
}

Response NodeApi::sign_in(const Request& request) {
  auto body = json_body(request);
  if (!body.ok()) return problem_for(body.error());
  if (!(*body)["message"].is_string() || !(*body)["signature"].is_string()) {
    return problem(400, "invalid_argument", "Bad request",
                   "expected {\"message\": <the signed SIWE text>, \"signature\": <0x hex>}");
  }
  const std::string text = (*body)["message"].get<std::string>();
  auto signature = from_hex((*body)["signature"].get<std::string>());
  if (!signature) return problem_for(signature.error());
  auto parsed = eth::parse_siwe(text);
  if (!parsed.ok()) return unauthenticated(parsed.error().message);

  const std::uint64_t now = clock();
  eth::SiweExpectations expected;
  expected.domain = config_.siwe_domain;
  expected.chain_id = config_.chain_id;
  expected.nonce = parsed->nonce;
  expected.now = static_cast<std::int64_t>(now);
  auto verified = eth::verify_siwe(text, *signature, expected);
  if (!verified.ok()) return unauthenticated(verified.error().message);

  std::lock_guard lock(mutex_);
  // The nonce goes last: a message that fails any other check does not burn it.
  auto fresh = node_->consume_nonce(
      parsed->nonce, now - static_cast<std::uint64_t>(config_.nonce_lifetime.count()));
  if (!fresh.ok()) return problem_for(fresh.error());
  if (!*fresh) return unauthenticated("the nonce is unknown, used or expired");

  const Bytes token = random_bytes(32);
  std::uint64_t expires_at = now + static_cast<std::uint64_t>(config_.session_lifetime.count());
  if (verified->expiration_time) {
    auto until = eth::parse_rfc3339(*verified->expiration_time);
    if (until.ok() && *until > 0)
      expires_at = std::min(expires_at, static_cast<std::uint64_t>(*until));
  }
  const store::Session session{
      crypto::sha256(token), verified->address, now, now, expires_at, false};
  if (auto created = node_->create_session(session); !created.ok()) {
    return problem_for(created.error());
  }
  return ok({{"token", to_hex(token, /*prefix=*/false)},
             {"address", eth::to_checksum(verified->address)},
             {"expiresAt", expires_at},
             {"idleTimeout", config_.session_idle.count()}},
            201);
}

Result<store::Session> NodeApi::authenticate(const Request& request) {
  const std::string& header = request.header("authorization");
  static constexpr std::string_view kBearer = "Bearer ";
  if (header.rfind(kBearer, 0) != 0) {
    return Error{Errc::kCheckFailed, "send Authorization: Bearer <token>"};
  }
  auto token = from_hex(std::string_view(header).substr(kBearer.size()));
  if (!token || token->size() != 32) return Error{Errc::kCheckFailed, "malformed session token"};
  const Hash32 token_hash = crypto::sha256(*token);
  MEDCHAIN_TRY(std::optional<store::Session> session, node_->session(token_hash));
  const std::uint64_t now = clock();
  if (!session || session->revoked) return Error{Errc::kCheckFailed, "no such session"};
  if (now >= session->expires_at) return Error{Errc::kCheckFailed, "the session has expired"};
  if (now - session->last_seen > static_cast<std::uint64_t>(config_.session_idle.count())) {
    return Error{Errc::kCheckFailed, "the session was idle too long"};
  }
  MEDCHAIN_TRY_STATUS(node_->touch_session(token_hash, now));
  return *session;
}

Response NodeApi::sign_out(const Request& request) {
  std::lock_guard lock(mutex_);
  auto session = authenticate(request);
  if (!session.ok()) {
    return session.error().code == Errc::kCheckFailed ? unauthenticated(session.error().message)
                                                      : problem_for(session.error());
  }
  if (auto revoked = node_->revoke_session(session->token_hash); !revoked.ok()) {
    return problem_for(revoked.error());
  }
  return Response{204, "application/json", "", {}};
}

Response NodeApi::me(const Request& request) {
  std::lock_guard lock(mutex_);
  auto session = authenticate(request);
  if (!session.ok()) {
    return session.error().code == Errc::kCheckFailed ? unauthenticated(session.error().message)
                                                      : problem_for(session.error());
  }
  auto roles = index_->roles(session->address);
  if (!roles.ok()) return problem_for(roles.error());
  json guardian_of = json::array();
  for (const Address& ward : roles->guardian_of) guardian_of.push_back(eth::to_checksum(ward));
  return ok({{"address", eth::to_checksum(session->address)},
             {"patient", roles->patient},
             {"doctor", roles->doctor.empty() ? json(nullptr) : json(roles->doctor)},
             {"registrar", roles->registrar},
             {"guardianOf", guardian_of}});
}

}  // namespace medchain::api
