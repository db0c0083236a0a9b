#include "support/lying_proxy.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <thread>

namespace medchain::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct LyingProxy::Server {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::atomic<bool> stopping = false;
  std::mutex mutex;
  std::list<tcp::socket> sockets;  // open client connections, closed on shutdown
  std::vector<std::thread> threads;
  std::thread acceptor_thread;
};

namespace {

// Every header the client sent, but those of the hop itself.
chain::HttpRequest upstream_request(const http::request<http::string_body>& request) {
  chain::HttpRequest forwarded;
  forwarded.method = std::string(request.method_string());
  forwarded.target = std::string(request.target());
  for (const auto& field : request) {
    const std::string name(field.name_string());
    if (beast::iequals(name, "host") || beast::iequals(name, "connection") ||
        beast::iequals(name, "content-length") || beast::iequals(name, "content-type")) {
      continue;
    }
    forwarded.headers.emplace_back(name, std::string(field.value()));
  }
  forwarded.body = request.body();
  if (request.count(http::field::content_type) != 0) {
    forwarded.content_type = std::string(request[http::field::content_type]);
  }
  return forwarded;
}

http::response<http::string_body> client_response(const chain::HttpResponse& answer,
                                                  unsigned version) {
  http::response<http::string_body> response{static_cast<http::status>(answer.status), version};
  for (const auto& [name, value] : answer.headers) {
    if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
        beast::iequals(name, "connection")) {
      continue;
    }
    response.set(name, value);
  }
  response.body() = answer.body;
  response.prepare_payload();
  return response;
}

}  // namespace

LyingProxy::LyingProxy(std::string upstream_authority)
    : upstream_(std::move(upstream_authority)), server_(std::make_unique<Server>()) {
  server_->acceptor_thread = std::thread([this] {
    for (;;) {
      tcp::socket socket(server_->io);
      beast::error_code ec;
      server_->acceptor.accept(socket, ec);
      if (server_->stopping) return;
      if (ec) continue;
      std::lock_guard lock(server_->mutex);
      tcp::socket& connection = server_->sockets.emplace_back(std::move(socket));
      server_->threads.emplace_back([this, &connection] {
        chain::HttpClient upstream(chain::HttpEndpoint::parse("http://" + upstream_).value());
        beast::flat_buffer buffer;
        for (;;) {
          http::request_parser<http::string_body> parser;
          parser.body_limit(512U << 20);
          beast::error_code read_error;
          http::read(connection, buffer, parser, read_error);
          if (read_error) return;
          const auto& request = parser.get();
          const chain::HttpRequest forwarded = upstream_request(request);
          auto answer = upstream.send(forwarded, std::chrono::seconds(120));
          if (!answer.ok()) return;  // the client sees the connection drop, as from a dead node
          if (forwarded.method != "GET" && forwarded.method != "HEAD") {
            record(forwarded.method, forwarded.target);
          }
          if (Lie lie = current_lie()) lie(forwarded.method, forwarded.target, *answer);
          auto response = client_response(*answer, request.version());
          response.keep_alive(request.keep_alive());
          beast::error_code write_error;
          http::write(connection, response, write_error);
          if (write_error || !request.keep_alive()) return;
        }
      });
    }
  });
}

LyingProxy::~LyingProxy() {
  server_->stopping = true;
  beast::error_code ignored;
  // Wake the blocking accept with a connection of our own, then close every client's socket.
  {
    tcp::socket waker(server_->io);
    waker.connect(server_->acceptor.local_endpoint(), ignored);
    server_->acceptor_thread.join();
  }
  std::lock_guard lock(server_->mutex);
  for (tcp::socket& socket : server_->sockets) {
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }
  for (std::thread& thread : server_->threads) thread.join();
}

void LyingProxy::lie(Lie lie) {
  std::lock_guard lock(mutex_);
  lie_ = std::move(lie);
}

void LyingProxy::tell_truth() {
  lie(nullptr);
}

LyingProxy::Lie LyingProxy::current_lie() const {
  std::lock_guard lock(mutex_);
  return lie_;
}

void LyingProxy::record(const std::string& method, const std::string& target) {
  std::lock_guard lock(mutex_);
  writes_.push_back(method + " " + target);
}

std::vector<std::string> LyingProxy::take_writes() {
  std::lock_guard lock(mutex_);
  return std::exchange(writes_, {});
}

std::string LyingProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->acceptor.local_endpoint().port());
}

}  // namespace medchain::test
