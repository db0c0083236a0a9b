#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <medchain/chain/http_client.hpp>

namespace medchain::chain {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Responses larger than this are not JSON-RPC answers we can use (a 10,000-block log range is
// well below it); the limit keeps a misbehaving node from exhausting memory.
constexpr std::size_t kMaxResponseBytes = 256 * 1024 * 1024;

}  // namespace

Result<HttpEndpoint> HttpEndpoint::parse(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (url.rfind("https://", 0) == 0) {
    return Error{Errc::kUnsupported, "https endpoints are not supported yet: " + std::string(url)};
  }
  if (url.rfind(kHttp, 0) != 0) {
    return Error{Errc::kInvalidArgument, "expected an http:// URL, got " + std::string(url)};
  }
  std::string_view rest = url.substr(kHttp.size());
  HttpEndpoint endpoint;
  const std::size_t slash = rest.find('/');
  endpoint.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  std::string_view authority = rest.substr(0, slash);
  const std::size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    endpoint.host = std::string(authority);
    endpoint.port = "80";
  } else {
    endpoint.host = std::string(authority.substr(0, colon));
    endpoint.port = std::string(authority.substr(colon + 1));
  }
  if (endpoint.host.empty() || endpoint.port.empty() ||
      endpoint.port.find_first_not_of("0123456789") != std::string::npos) {
    return Error{Errc::kInvalidArgument, "malformed URL " + std::string(url)};
  }
  return endpoint;
}

std::string HttpEndpoint::url() const {
  return "http://" + host + ":" + port + target;
}

struct HttpClient::Connection {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool open = false;

  void close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    open = false;
  }

  // Runs the queued asynchronous operations to completion; the stream's expiry bounds them.
  void run() {
    io.restart();
    io.run();
  }
};

HttpClient::HttpClient(HttpEndpoint endpoint)
    : endpoint_(std::move(endpoint)), connection_(std::make_unique<Connection>()) {}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::post(std::string_view body, std::string_view content_type,
                                      std::chrono::milliseconds deadline) {
  return send(
      HttpRequest{"POST", endpoint_.target, {}, std::string(body), std::string(content_type)},
      deadline);
}

Result<HttpResponse> HttpClient::send(const HttpRequest& spec, std::chrono::milliseconds deadline) {
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  Connection& c = *connection_;
  http::request<http::string_body> request{http::string_to_verb(spec.method), spec.target, 11};
  request.set(http::field::host, endpoint_.host);
  for (const auto& [name, value] : spec.headers) request.set(name, value);
  if (!spec.content_type.empty()) request.set(http::field::content_type, spec.content_type);
  request.keep_alive(true);
  request.body() = spec.body;
  request.prepare_payload();

  // A reused connection may have been closed by the server while idle; then one fresh attempt.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = c.open;
    beast::error_code ec;
    if (!c.open) {
      tcp::resolver resolver(c.io);
      auto addresses = resolver.resolve(endpoint_.host, endpoint_.port, ec);
      if (ec)
        return Error{Errc::kUnavailable, "cannot resolve " + endpoint_.host + ": " + ec.message()};
      c.stream.expires_at(give_up);
      c.stream.async_connect(addresses, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
      c.run();
      if (ec == beast::error::timeout) {
        c.close();
        return Error{Errc::kTimeout, "timed out connecting to " + endpoint_.url()};
      }
      if (ec) {
        c.close();
        return Error{Errc::kUnavailable,
                     "cannot connect to " + endpoint_.url() + ": " + ec.message()};
      }
      c.open = true;
    }
    c.stream.expires_at(give_up);
    http::async_write(c.stream, request, [&](beast::error_code e, std::size_t) { ec = e; });
    c.run();
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    // A response to HEAD announces a Content-Length but has no body; without skip() the
    // parser would wait for one until the deadline.
    if (request.method() == http::verb::head) parser.skip(true);
    // Beast reads a body through the buffer in steps of its spare capacity (at least 512
    // bytes), which stays small while the parser moves each read into the string: room for
    // 64 KiB makes a large answer (eth_getLogs while catching up) 64 KiB a system call.
    c.buffer.reserve(64 * 1024);
    if (!ec) {
      http::async_read(c.stream, c.buffer, parser,
                       [&](beast::error_code e, std::size_t) { ec = e; });
      c.run();
    }
    if (ec == beast::error::timeout) {
      c.close();
      return Error{Errc::kTimeout, "no answer from " + endpoint_.url() + " within " +
                                       std::to_string(deadline.count()) + " ms"};
    }
    if (ec) {
      c.close();
      const bool stale = ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                         ec == asio::error::broken_pipe || ec == asio::error::eof;
      if (reused && stale) continue;
      if (&ec.category() == &http::make_error_code(http::error::bad_version).category() && !stale) {
        return Error{Errc::kProtocol,
                     "malformed HTTP response from " + endpoint_.url() + ": " + ec.message()};
      }
      return Error{Errc::kUnavailable,
                   "connection to " + endpoint_.url() + " failed: " + ec.message()};
    }
    auto response = parser.release();
    if (!response.keep_alive()) c.close();
    HttpResponse out{static_cast<int>(response.result_int()),
                     std::move(response.body()),
                     std::string(response[http::field::content_type]),
                     {}};
    for (const auto& field : response) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    return out;
  }
  return Error{Errc::kUnavailable, "connection to " + endpoint_.url() + " keeps closing"};
}

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (boost::beast::iequals(key, boost::beast::string_view(name.data(), name.size())))
      return value;
  }
  return {};
}

}  // namespace medchain::chain
