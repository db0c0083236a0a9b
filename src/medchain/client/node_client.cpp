#include <medchain/client/node_client.hpp>
#include <medchain/client/problem.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/core/uint256.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/eth/eip191.hpp>
#include <medchain/eth/siwe.hpp>
#include <thread>

namespace medchain::client {
namespace {

std::string what_of(std::string_view method, std::string_view path) {
  std::string what(method);
  what += ' ';
  what += path.substr(0, path.find('?'));
  return what;
}

template <class T>
Result<T> fixed_field(const json& body, const char* name) {
  if (!body.contains(name) || !body[name].is_string()) {
    return Error{Errc::kProtocol, std::string("GET /v1/node has no ") + name};
  }
  auto value = from_hex_fixed<T>(body[name].get<std::string>());
  if (!value) return Error{Errc::kProtocol, std::string("GET /v1/node has a malformed ") + name};
  return *value;
}

Result<NodeInfo> parse_node_info(const json& body) {
  if (!body.is_object() || !body.contains("chainId") || !body["chainId"].is_number_unsigned()) {
    return Error{Errc::kProtocol, "the server is not a medchain node (GET /v1/node)"};
  }
  NodeInfo info;
  info.chain_id = body["chainId"].get<std::uint64_t>();
  MEDCHAIN_TRY(info.contract, fixed_field<Address>(body, "contract"));
  MEDCHAIN_TRY(info.node_id, fixed_field<Hash32>(body, "nodeId"));
  info.siwe_domain = body.value("siweDomain", std::string());
  info.relays = body.value("relays", false);
  info.max_blob_bytes = body.value("maxBlobBytes", std::uint64_t{0});
  return info;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

NodeClient::NodeClient(std::string url, chain::HttpEndpoint endpoint, ClientOptions options)
    : url_(std::move(url)),
      endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      http_(std::make_unique<chain::HttpClient>(endpoint_)) {}

NodeClient::NodeClient(NodeClient&&) noexcept = default;
NodeClient& NodeClient::operator=(NodeClient&&) noexcept = default;
NodeClient::~NodeClient() = default;

Result<NodeClient> NodeClient::connect(std::string_view node_url, ClientOptions options) {
  std::string url(node_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  MEDCHAIN_TRY(chain::HttpEndpoint endpoint, chain::HttpEndpoint::parse(url));
  if (endpoint.target != "/") {
    return Error{Errc::kInvalidArgument, "a node URL is http://host:port, without a path: " + url};
  }
  NodeClient client(url, std::move(endpoint), std::move(options));
  MEDCHAIN_TRY(json info, client.get("/v1/node"));
  MEDCHAIN_TRY(client.info_, parse_node_info(info));
  return client;
}

chain::HttpRequest NodeClient::request(std::string_view method, std::string_view path) const {
  chain::HttpRequest request{std::string(method), std::string(path), {}, "", ""};
  if (!token_.empty()) request.headers.emplace_back("Authorization", "Bearer " + token_);
  return request;
}

Result<json> NodeClient::send(std::string_view method, std::string_view path, const json* body) {
  chain::HttpRequest out = request(method, path);
  if (body) {
    out.body = body->dump();
    out.content_type = "application/json";
  }
  const std::string what = what_of(method, path);
  auto answer = http_->send(out, options_.request_timeout);
  if (!answer.ok()) {
    return Error{answer.error().code == Errc::kTimeout ? Errc::kTimeout : Errc::kUnavailable,
                 "the node at " + url_ + " cannot be reached: " + answer.error().message};
  }
  if (answer->status >= 400) return error_from_answer(answer->status, answer->body, what);
  return json_from_answer(answer->body, what);
}

Result<json> NodeClient::get(std::string_view path) {
  return send("GET", path, nullptr);
}
Result<json> NodeClient::post(std::string_view path, const json& body) {
  return send("POST", path, &body);
}
Result<json> NodeClient::put(std::string_view path, const json& body) {
  return send("PUT", path, &body);
}
Result<json> NodeClient::del(std::string_view path) {
  return send("DELETE", path, nullptr);
}

Result<SignedIn> NodeClient::sign_in(const crypto::PrivateKey& key) {
  token_.clear();
  MEDCHAIN_TRY(json issued, post("/v1/auth/nonce", json::object()));
  if (!issued.is_object() || !issued["nonce"].is_string()) {
    return Error{Errc::kProtocol, "POST /v1/auth/nonce answered without a nonce"};
  }
  eth::SiweMessage message;
  message.domain = info_.siwe_domain;
  message.address = crypto::address_of(key);
  message.statement = "Sign in to medchain.";
  message.uri = "http://" + info_.siwe_domain;
  message.chain_id = info_.chain_id;
  message.nonce = issued["nonce"].get<std::string>();
  message.issued_at = eth::format_rfc3339(unix_now());
  const std::string text = eth::format_siwe(message);
  const auto signature = eth::sign_personal_message(
      key, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  MEDCHAIN_TRY(
      json session,
      post("/v1/auth/verify", json{{"message", text}, {"signature", to_hex(signature.to_rsv())}}));
  if (!session.is_object() || !session["token"].is_string()) {
    return Error{Errc::kProtocol, "POST /v1/auth/verify answered without a token"};
  }
  SignedIn out{session["token"].get<std::string>(), message.address,
               session.value("expiresAt", std::int64_t{0}),
               session.value("idleTimeout", std::int64_t{0})};
  token_ = out.token;
  return out;
}

Status NodeClient::sign_out() {
  auto ended = post("/v1/auth/logout", json::object());
  token_.clear();
  if (!ended.ok()) return std::move(ended).error();
  return {};
}

Status NodeClient::wait_until_indexed(std::uint64_t block, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    auto ready = get("/readyz");
    if (ready.ok() && ready->value("indexedBlock", std::uint64_t{0}) >= block) return {};
    if (std::chrono::steady_clock::now() > until) {
      return Error{Errc::kTimeout, "the node " + url_ + " has not indexed block " +
                                       std::to_string(block) + " in time"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Result<U256> NodeClient::intent_nonce(const Address& account) {
  MEDCHAIN_TRY(json answer, get("/v1/accounts/" + to_hex(account) + "/nonce"));
  if (!answer.is_object() || !answer["nonce"].is_string()) {
    return Error{Errc::kProtocol, "GET /v1/accounts/{address}/nonce answered without a nonce"};
  }
  auto nonce = parse_u256(answer["nonce"].get<std::string>());
  if (!nonce.ok()) return Error{Errc::kProtocol, "the node's nonce is not a number"};
  return *nonce;
}

Result<json> NodeClient::relay(const crypto::PrivateKey& signer, std::string_view function_name,
                               json message, std::chrono::seconds valid_for) {
  if (!options_.abi) {
    return Error{Errc::kInvalidArgument, "relaying needs the contract's ABI (ClientOptions::abi)"};
  }
  if (!message.contains("nonce")) {
    MEDCHAIN_TRY(U256 nonce, intent_nonce(crypto::address_of(signer)));
    message["nonce"] = to_decimal(nonce);
  }
  if (!message.contains("deadline")) {
    message["deadline"] = std::to_string(unix_now() + valid_for.count());
  }
  MEDCHAIN_TRY(eth::eip712::TypedData typed,
               chain::intent_typed_data(*options_.abi, domain(), function_name, message));
  MEDCHAIN_TRY(const Hash32 digest, eth::eip712::signing_hash(typed));
  const auto signature = crypto::sign_hash(signer, digest).to_rsv();
  return post("/v1/relay", json{{"function", std::string(function_name)},
                                {"message", message},
                                {"signature", to_hex(signature)}});
}

Result<json> NodeClient::upload_blob(const Address& patient, std::string_view category,
                                     const Hash32& digest, std::uint64_t size, const ReadFn& read,
                                     const ProgressFn& progress) {
  chain::HttpRequest out = blob_upload_head(patient, category);
  out.headers.emplace_back("Medchain-Digest", to_hex(digest));
  return post_blob(out, size, read, progress, {});
}

Result<json> NodeClient::upload_blob_digest_after(const Address& patient, std::string_view category,
                                                  std::uint64_t size, const ReadFn& read,
                                                  const std::function<Hash32()>& digest_after,
                                                  const ProgressFn& progress,
                                                  const SignCategoryFn& sign_category) {
  chain::HttpRequest out = blob_upload_head(patient, category);
  out.headers.emplace_back("Trailer", sign_category ? "Medchain-Digest, Medchain-Category-Signature"
                                                    : "Medchain-Digest");
  const TrailerFn trailer = [&digest_after, &sign_category] {
    const Hash32 digest = digest_after();
    std::vector<std::pair<std::string, std::string>> fields{{"Medchain-Digest", to_hex(digest)}};
    if (sign_category)
      fields.emplace_back("Medchain-Category-Signature", to_hex(sign_category(digest)));
    return fields;
  };
  return post_blob(out, size, read, progress, trailer);
}

chain::HttpRequest NodeClient::blob_upload_head(const Address& patient,
                                                std::string_view category) const {
  chain::HttpRequest out = request("POST", "/v1/blobs");
  out.content_type = "application/octet-stream";
  out.headers.emplace_back("Medchain-Patient", to_hex(patient));
  out.headers.emplace_back("Medchain-Category", std::string(category));
  return out;
}

Result<json> NodeClient::post_blob(const chain::HttpRequest& head, std::uint64_t size,
                                   const ReadFn& read, const ProgressFn& progress,
                                   const TrailerFn& trailer) {
  MEDCHAIN_TRY(chain::HttpResponse answer,
               send_streamed(endpoint_, head, size, read, progress, options_.transfer, trailer));
  if (answer.status >= 400) return error_from_answer(answer.status, answer.body, "POST /v1/blobs");
  return json_from_answer(answer.body, "POST /v1/blobs");
}

Status NodeClient::download_blob(const Hash32& digest, const WriteFn& write,
                                 const ProgressFn& progress) {
  const std::string path = "/v1/blobs/" + to_hex(digest);
  MEDCHAIN_TRY(chain::HttpResponse answer, receive_streamed(endpoint_, request("GET", path), write,
                                                            progress, options_.transfer));
  if (answer.status >= 400) return error_from_answer(answer.status, answer.body, "GET /v1/blobs");
  return {};
}

}  // namespace medchain::client
