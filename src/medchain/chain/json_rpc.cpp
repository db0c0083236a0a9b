#include <algorithm>
#include <array>
#include <medchain/chain/json_rpc.hpp>
#include <thread>

namespace medchain::chain {
namespace {

using nlohmann::json;

Result<RpcReply> parse_reply(const json& response) {
  if (!response.is_object() || response.value("jsonrpc", "") != "2.0") {
    return Error{Errc::kProtocol, "not a JSON-RPC 2.0 response"};
  }
  RpcReply reply;
  if (auto error = response.find("error"); error != response.end() && !error->is_null()) {
    if (!error->is_object() || !error->contains("code") || !(*error)["code"].is_number_integer()) {
      return Error{Errc::kProtocol, "malformed JSON-RPC error object"};
    }
    reply.error =
        RpcErrorObject{(*error)["code"].get<std::int64_t>(), error->value("message", std::string()),
                       error->value("data", json())};
    return reply;
  }
  if (!response.contains("result"))
    return Error{Errc::kProtocol, "JSON-RPC response without result"};
  reply.result = response["result"];
  return reply;
}

Error to_error(const RpcErrorObject& error) {
  return Error{Errc::kRpcError, error.message + " (code " + std::to_string(error.code) + ")"};
}

}  // namespace

bool is_retryable_method(std::string_view method) noexcept {
  static constexpr std::array<std::string_view, 16> kReads{"eth_chainId",
                                                           "eth_blockNumber",
                                                           "eth_getBlockByNumber",
                                                           "eth_getBlockByHash",
                                                           "eth_getLogs",
                                                           "eth_call",
                                                           "eth_estimateGas",
                                                           "eth_feeHistory",
                                                           "eth_gasPrice",
                                                           "eth_getTransactionReceipt",
                                                           "eth_getTransactionCount",
                                                           "eth_getTransactionByHash",
                                                           "eth_getBalance",
                                                           "eth_getCode",
                                                           "net_version",
                                                           "eth_maxPriorityFeePerGas"};
  return std::find(kReads.begin(), kReads.end(), method) != kReads.end();
}

JsonRpcClient::JsonRpcClient(HttpEndpoint endpoint, RpcOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {}

std::unique_ptr<HttpClient> JsonRpcClient::acquire_connection() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<HttpClient> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return std::make_unique<HttpClient>(endpoint_);
}

void JsonRpcClient::release_connection(std::unique_ptr<HttpClient> connection) {
  // Keeps as many idle connections as there were concurrent callers, which is bounded by the
  // caller's threads.
  std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(connection));
}

Result<json> JsonRpcClient::post_with_retries(const json& request, bool retryable) {
  const std::string body = request.dump();
  std::unique_ptr<HttpClient> http = acquire_connection();
  struct Release {
    JsonRpcClient* client;
    std::unique_ptr<HttpClient>& http;
    ~Release() { client->release_connection(std::move(http)); }
  } release{this, http};
  auto backoff = options_.first_backoff;
  const int attempts = retryable ? std::max(1, options_.max_attempts) : 1;
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> response = http->post(body, "application/json", options_.deadline);
    if (response.ok()) {
      // Nodes answer JSON-RPC errors with 200 (geth, anvil) or 4xx/5xx with a JSON body
      // (some gateways); a body that does not parse is a protocol error either way.
      json parsed = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        return Error{Errc::kProtocol, "HTTP " + std::to_string(response->status) + " from " +
                                          endpoint_.url() + " is not JSON"};
      }
      return parsed;
    }
    const Errc code = response.error().code;
    if (attempt >= attempts || (code != Errc::kUnavailable && code != Errc::kTimeout)) {
      return std::move(response).error();
    }
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

Result<RpcReply> JsonRpcClient::call_raw(const std::string& method, json params) {
  const std::int64_t id = next_id_++;
  json request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
  MEDCHAIN_TRY(json response, post_with_retries(request, is_retryable_method(method)));
  if (response.is_object() && response.value("id", json()) != json(id)) {
    return Error{Errc::kProtocol, "JSON-RPC response id does not match the request"};
  }
  return parse_reply(response);
}

Result<json> JsonRpcClient::call(const std::string& method, json params) {
  MEDCHAIN_TRY(RpcReply reply, call_raw(method, std::move(params)));
  if (reply.error) return to_error(*reply.error);
  return std::move(reply.result);
}

Result<std::vector<RpcReply>> JsonRpcClient::batch(const std::vector<RpcCall>& calls) {
  if (calls.empty()) return std::vector<RpcReply>{};
  json request = json::array();
  const std::int64_t first_id = next_id_.fetch_add(static_cast<std::int64_t>(calls.size()));
  std::int64_t next = first_id;
  bool retryable = true;
  for (const RpcCall& call : calls) {
    request.push_back(
        {{"jsonrpc", "2.0"}, {"id", next++}, {"method", call.method}, {"params", call.params}});
    retryable = retryable && is_retryable_method(call.method);
  }
  MEDCHAIN_TRY(json response, post_with_retries(request, retryable));
  if (!response.is_array()) {
    // A node that rejects the whole batch answers with one error object.
    MEDCHAIN_TRY(RpcReply reply, parse_reply(response));
    if (reply.error) return to_error(*reply.error);
    return Error{Errc::kProtocol, "JSON-RPC batch answered with a single result"};
  }
  // Replies may come in any order; the ids put them back in the order of the calls.
  std::vector<std::optional<RpcReply>> ordered(calls.size());
  for (const json& item : response) {
    const json id = item.is_object() ? item.value("id", json()) : json();
    if (!id.is_number_integer()) return Error{Errc::kProtocol, "JSON-RPC batch reply without id"};
    const std::int64_t index = id.get<std::int64_t>() - first_id;
    if (index < 0 || index >= static_cast<std::int64_t>(calls.size()) || ordered[index]) {
      return Error{Errc::kProtocol, "JSON-RPC batch reply with an unexpected id"};
    }
    MEDCHAIN_TRY(RpcReply reply, parse_reply(item));
    ordered[index] = std::move(reply);
  }
  std::vector<RpcReply> replies;
  for (auto& reply : ordered) {
    if (!reply) return Error{Errc::kProtocol, "JSON-RPC batch is missing replies"};
    replies.push_back(std::move(*reply));
  }
  return replies;
}

}  // namespace medchain::chain
