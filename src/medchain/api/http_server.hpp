// A small asynchronous HTTP/1.1 server (Boost.Beast) for medchaind: keep-alive, a limit on
// request bodies, a deadline for reading each request (slow clients are cut off), and a
// handler that turns a Request into a Response. A handler that throws gets a 500 problem; the
// server itself never stops serving because of one request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <medchain/core/result.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace medchain::api {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // without the query
  std::string query;                           // after '?', undecoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, or "" when absent. `name` in lower case.
  const std::string& header(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  unsigned threads = 2;
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds read_timeout{15'000};  // for a whole request, headers and body
};

class HttpServer {
 public:
  using Handler = std::function<Response(const Request&)>;

  // Binds and starts serving on `options.threads` threads. kIo when the address is taken.
  static Result<std::unique_ptr<HttpServer>> start(const ServerOptions& options, Handler handler);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const noexcept;
  void stop();

  struct State;

 private:
  explicit HttpServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace medchain::api
