// Ethereum JSON-RPC 2.0 over HTTP: single calls and batches, a deadline on every call, and
// retries with backoff for calls that are safe to repeat. Thread-safe: concurrent calls each take
// a keep-alive connection from a small pool, so one slow call does not hold up the others.
#pragma once

#include <atomic>
#include <chrono>
#include <medchain/chain/http_client.hpp>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace medchain::chain {

struct RpcOptions {
  std::chrono::milliseconds deadline{10'000};   // per attempt
  int max_attempts = 3;                         // for retryable calls on transport failures
  std::chrono::milliseconds first_backoff{50};  // doubled after each failed attempt
};

// The error object of a JSON-RPC response (the node said no, as opposed to a transport failure).
struct RpcErrorObject {
  std::int64_t code = 0;
  std::string message;
  nlohmann::json data;  // e.g. revert data "0x..." for eth_call and eth_estimateGas
};

// One response: a result or the node's error object.
struct RpcReply {
  nlohmann::json result;
  std::optional<RpcErrorObject> error;
};

struct RpcCall {
  std::string method;
  nlohmann::json params = nlohmann::json::array();
};

// True for methods that read state, which may be repeated after a transport failure without
// effect. eth_sendRawTransaction is not in the set: the relayer decides how to resubmit.
bool is_retryable_method(std::string_view method) noexcept;

class JsonRpcClient {
 public:
  JsonRpcClient(HttpEndpoint endpoint, RpcOptions options = {});

  // Calls `method`. Transport failures (kUnavailable, kTimeout, kProtocol) come back as the
  // Error; a node's error object comes back inside the RpcReply.
  Result<RpcReply> call_raw(const std::string& method, nlohmann::json params);

  // Like call_raw, but a node's error object becomes Error{kRpcError, "<message> (code N)"}.
  Result<nlohmann::json> call(const std::string& method, nlohmann::json params);

  // Sends all `calls` in one HTTP request; the replies come back in the order of `calls`.
  // Retried as a whole only if every call in it is retryable.
  Result<std::vector<RpcReply>> batch(const std::vector<RpcCall>& calls);

  const HttpEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  Result<nlohmann::json> post_with_retries(const nlohmann::json& request, bool retryable);
  std::unique_ptr<HttpClient> acquire_connection();
  void release_connection(std::unique_ptr<HttpClient> connection);

  HttpEndpoint endpoint_;
  RpcOptions options_;
  std::atomic<std::int64_t> next_id_{1};
  std::mutex pool_mutex_;  // guards idle_
  std::vector<std::unique_ptr<HttpClient>> idle_;
};

}  // namespace medchain::chain
