// Readiness and Sign-In with Ethereum (EIP-4361) sessions.
#include <openssl/rand.h>

#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>
#include <medchain/eth/siwe.hpp>

namespace medchain::api::detail {
namespace {

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

}  // namespace

Response ready(NodeContext& node, const Call&) {
  auto checkpoint = node.index().checkpoint();
  if (!checkpoint.ok()) return problem_for(checkpoint.error());
  if (!*checkpoint) {
    return problem(503, "not_ready", "Not ready", "the index has not caught up with the chain yet");
  }
  return ok({{"status", "ready"}, {"indexedBlock", (*checkpoint)->number}});
}

// The registered storage nodes are listed so that a client can fail over to another when this
// one stops answering (docs/ui.md, "When the node is down"); a client checks whatever it then
// reads against the chain, so a node that lists wrong peers gains nothing.
Response node_info(NodeContext& node, const Call&) {
  auto registered = node.index().storage_nodes();
  if (!registered.ok()) return problem_for(registered.error());
  nlohmann::json storage_nodes = nlohmann::json::array();
  for (const store::StorageNodeRow& row : *registered)
    storage_nodes.push_back({{"nodeId", to_json(row.node_id)}, {"url", row.url}});
  return ok({{"chainId", node.config.chain_id},
             {"contract", to_json(node.config.contract)},
             {"nodeId", to_json(node.config.node_id)},
             {"siweDomain", node.config.siwe_domain},
             {"relays", node.relayer != nullptr},
             {"maxBlobBytes", node.config.max_blob_bytes},
             {"storageNodes", std::move(storage_nodes)}});
}

Response issue_nonce(NodeContext& node, const Call&) {
  const std::string nonce = new_nonce();
  if (auto issued = node.node_store().issue_nonce(nonce, node.clock()); !issued.ok()) {
    return problem_for(issued.error());
  }
  return ok({{"nonce", nonce}, {"expiresIn", node.config.nonce_lifetime.count()}}, 201);
}

Response sign_in(NodeContext& node, const Call& call) {
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  if (!(*body)["message"].is_string() || !(*body)["signature"].is_string()) {
    return bad_request("expected {\"message\": <the signed SIWE text>, \"signature\": <0x hex>}");
  }
  const std::string text = (*body)["message"].get<std::string>();
  auto signature = from_hex((*body)["signature"].get<std::string>());
  if (!signature) return problem_for(signature.error());
  auto parsed = eth::parse_siwe(text);
  if (!parsed.ok()) return unauthenticated(parsed.error().message);

  const std::uint64_t now = node.clock();
  eth::SiweExpectations expected;
  expected.domain = node.config.siwe_domain;
  expected.chain_id = node.config.chain_id;
  expected.nonce = parsed->nonce;
  expected.now = static_cast<std::int64_t>(now);
  auto verified = eth::verify_siwe(text, *signature, expected);
  if (!verified.ok()) return unauthenticated(verified.error().message);

  // The nonce goes last: a message that fails any other check does not burn it.
  auto fresh = node.node_store().consume_nonce(
      parsed->nonce, now - static_cast<std::uint64_t>(node.config.nonce_lifetime.count()));
  if (!fresh.ok()) return problem_for(fresh.error());
  if (!*fresh) return unauthenticated("the nonce is unknown, used or expired");

  const Bytes token = random_bytes(32);
  std::uint64_t expires_at = now + static_cast<std::uint64_t>(node.config.session_lifetime.count());
  if (verified->expiration_time) {
    auto until = eth::parse_rfc3339(*verified->expiration_time);
    if (until.ok() && *until > 0)
      expires_at = std::min(expires_at, static_cast<std::uint64_t>(*until));
  }
  const store::Session session{
      crypto::sha256(token), verified->address, now, now, expires_at, false};
  if (auto created = node.node_store().create_session(session); !created.ok()) {
    return problem_for(created.error());
  }
  return ok({{"token", to_hex(token, /*prefix=*/false)},
             {"address", to_json(verified->address)},
             {"expiresAt", expires_at},
             {"idleTimeout", node.config.session_idle.count()}},
            201);
}

Response sign_out(NodeContext& node, const Call& call) {
  if (auto revoked = node.node_store().revoke_session(call.session->token_hash); !revoked.ok()) {
    return problem_for(revoked.error());
  }
  node.sessions.erase(call.session->token_hash);
  node.feed.end_session(call.session->token_hash);
  return no_content();
}

Response me(NodeContext& node, const Call& call) {
  auto roles = node.index().roles(call.caller());
  if (!roles.ok()) return problem_for(roles.error());
  json guardian_of = json::array();
  for (const Address& ward : roles->guardian_of) guardian_of.push_back(to_json(ward));
  json controller_of = json::array();
  for (const Address& patient : roles->controller_of) controller_of.push_back(to_json(patient));
  return ok({{"address", to_json(call.caller())},
             {"patient", roles->patient},
             {"doctor", roles->doctor.empty() ? json(nullptr) : json(roles->doctor)},
             {"registrar", roles->registrar},
             {"guardianOf", guardian_of},
             {"controllerOf", controller_of}});
}

}  // namespace medchain::api::detail
