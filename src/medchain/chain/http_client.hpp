// A small blocking HTTP/1.1 client with keep-alive and a deadline on every request, enough to
// talk JSON-RPC to a chain node (Boost.Beast). Not thread-safe: one client per thread, or guard
// it (JsonRpcClient does).
#pragma once

#include <chrono>
#include <medchain/core/result.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medchain::chain {

// Where a node listens: parsed from "http://host:port/path".
struct HttpEndpoint {
  std::string host;
  std::string port;
  std::string target;  // the request path, "/" by default

  // Accepts http:// URLs only; https is kUnsupported until TLS lands.
  static Result<HttpEndpoint> parse(std::string_view url);
  std::string url() const;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // as received

  // The first header named `name` (any case), or "".
  std::string header(std::string_view name) const;
};

// A request of any method to a path on the endpoint's host.
struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type;  // set when there is a body
};

class HttpClient {
 public:
  explicit HttpClient(HttpEndpoint endpoint);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` as `content_type` to the endpoint's target. Reuses the open connection, and
  // reconnects once if the server had closed it while idle. kUnavailable when the node cannot
  // be reached, kTimeout when `deadline` passes (the connection is then dropped), kProtocol on
  // a malformed response.
  Result<HttpResponse> post(std::string_view body, std::string_view content_type,
                            std::chrono::milliseconds deadline);
  // The same for any request.
  Result<HttpResponse> send(const HttpRequest& request, std::chrono::milliseconds deadline);

  const HttpEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  struct Connection;
  HttpEndpoint endpoint_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace medchain::chain
