// A small asynchronous HTTP/1.1 server (Boost.Beast) for medchaind: keep-alive, a limit on
// buffered request bodies, a deadline for reading each request (slow clients are cut off), and
// handlers that turn a Request into a Response. Large bodies stream: an upload goes to a
// BodySink piece by piece as it arrives, a download comes from a BodySource, so a gigabyte
// blob passes through in constant memory. A handler that throws gets a 500 problem; the server
// itself never stops serving because of one request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <medchain/core/bytes.hpp>
#include <medchain/core/result.hpp>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace medchain::api {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // without the query
  std::string query;                           // after '?', undecoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;                            // empty for a streamed upload
  std::string peer;                            // the client's IP address

  // The header's value, or "" when absent. `name` in lower case.
  const std::string& header(const std::string& name) const;
};

// A response body produced piece by piece (a blob download).
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Fills the front of `out` with the next bytes and returns how many; 0 only at the end.
  virtual Result<std::size_t> read(std::span<std::uint8_t> out) = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body comes from here instead: exactly `stream_size` bytes.
  std::unique_ptr<BodySource> stream;
  std::uint64_t stream_size = 0;
};

// A request body consumed piece by piece (a blob upload) instead of buffered in Request::body.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // The next piece of the body. An error ends the request with the problem for it.
  virtual Status write(ByteView piece) = 0;
  // The whole body arrived: the answer to the request. `trailer` holds the fields a chunked
  // body sent after its last chunk (RFC 9110 section 6.5), names in lower case, empty for any
  // other body. A sink destroyed without finish() saw a truncated or refused body and must
  // leave nothing behind.
  virtual Response finish(const std::map<std::string, std::string>& trailer) = 0;
};

// How a handler takes a request whose body it wants to stream.
struct Upload {
  std::unique_ptr<BodySink> sink;  // null: refused, answer `refusal` without reading the body
  std::uint64_t max_bytes = 0;     // a larger body is refused with 413
  Response refusal;
};

// The server's side of an accepted WebSocket: text messages to the client, in order.
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  // Queues `text` for the client; thread-safe. A client that falls too far behind is
  // disconnected rather than buffered without end.
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
};

// What a handler answers to a WebSocket upgrade request.
struct WebSocketAccept {
  bool accepted = false;
  Response refusal;  // when not accepted
  // Called once the handshake is done, and once the connection is gone (either side).
  std::function<void(std::shared_ptr<WebSocketPeer>)> on_open;
  std::function<void()> on_close;
};

struct Handlers {
  // Every request whose body is buffered (at most ServerOptions::max_body_bytes).
  std::function<Response(const Request&)> respond;
  // Optional. Asked with a request's head, before its body is read: an Upload for a request
  // whose body should stream, nullopt for one that `respond` should answer.
  std::function<std::optional<Upload>(const Request& head)> upload;
  // Optional. Asked with the head of every WebSocket upgrade request; without it, such a
  // request goes to `respond` like any other.
  std::function<WebSocketAccept(const Request& head)> websocket;
  // Optional. Whether answering `head` may wait long (on the chain, say): such a request is
  // answered on a worker thread instead of its connection's event loop.
  std::function<bool(const Request& head)> waits;
};

// A certificate chain and its private key, PEM files, for serving HTTPS (and WSS).
struct TlsFiles {
  std::string certificate_chain;
  std::string private_key;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::optional<TlsFiles> tls;  // plain HTTP when absent
  std::uint16_t port = 8080;    // 0: any free port (see HttpServer::port)
  unsigned threads = 2;         // event loops, a thread each; connections are spread over them
  std::size_t max_body_bytes = 1 << 20;  // for buffered bodies
  // For a whole buffered request, and for each piece of a streamed upload or download: a
  // client slower than this is cut off.
  std::chrono::milliseconds read_timeout{15'000};
  // Sent with every answer, whatever produced it (a route, a static file, a refusal, a 404):
  // the place for security headers. A response's own header of the same name wins.
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpServer {
 public:
  // Binds and starts serving on `options.threads` threads. kIo when the address is taken.
  static Result<std::unique_ptr<HttpServer>> start(const ServerOptions& options, Handlers handlers);
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
