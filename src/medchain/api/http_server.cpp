#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <medchain/api/detail/http_connection.hpp>
#include <medchain/api/http_server.hpp>

namespace medchain::api {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

const std::string& Request::header(const std::string& name) const {
  static const std::string kEmpty;
  const auto found = headers.find(name);
  return found == headers.end() ? kEmpty : found->second;
}

namespace {

// Threads for the requests whose handler may wait long: that many may wait at once.
constexpr std::size_t kWorkers = 8;

void accept(HttpServer::State& state) {
  auto& loop = *state.loops[state.next_loop++ % state.loops.size()];
  state.acceptor->async_accept(
      loop, [&state, &loop](boost::beast::error_code ec, detail::LoopSocket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
          // The connection starts on its loop's thread, where all of its life runs.
          asio::post(loop, [&state, socket = std::move(socket)]() mutable {
            detail::serve_connection(std::move(socket), state);
          });
        }
        accept(state);
      });
}

}  // namespace

HttpServer::HttpServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

HttpServer::~HttpServer() {
  stop();
}

std::uint16_t HttpServer::port() const noexcept {
  return state_->port;
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const ServerOptions& options,
                                                      Handlers handlers) {
  auto state = std::make_unique<State>();
  state->options = options;
  for (unsigned i = 0; i < std::max(1u, options.threads); ++i) {
    state->loops.push_back(std::make_unique<asio::io_context>(1));  // one thread runs each
  }
  state->acceptor = std::make_unique<tcp::acceptor>(*state->loops.front());
  state->workers = std::make_unique<asio::thread_pool>(kWorkers);
  state->handlers = std::move(handlers);
  boost::beast::error_code ec;
  if (options.tls) {
    // TLS 1.2 and 1.3 only; OpenSSL's defaults choose the ciphers.
    state->tls.emplace(asio::ssl::context::tls_server);
    state->tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    state->tls->use_certificate_chain_file(options.tls->certificate_chain, ec);
    if (!ec)
      state->tls->use_private_key_file(options.tls->private_key, asio::ssl::context::pem, ec);
    if (ec)
      return Error{Errc::kInvalidArgument,
                   "cannot load the TLS certificate or key: " + ec.message()};
  }
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) return Error{Errc::kInvalidArgument, "not an IP address: " + options.address};
  const tcp::endpoint endpoint{address, options.port};
  state->acceptor->open(endpoint.protocol(), ec);
  if (!ec) state->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor->bind(endpoint, ec);
  if (!ec) state->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{Errc::kIo, "cannot listen on " + options.address + ":" +
                                std::to_string(options.port) + ": " + ec.message()};
  }
  state->port = state->acceptor->local_endpoint().port();
  accept(*state);
  for (auto& loop : state->loops) {
    state->threads.emplace_back([loop = loop.get()] {
      // A loop with no connection yet must not return from run().
      auto work = asio::make_work_guard(*loop);
      loop->run();
    });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

void HttpServer::stop() {
  if (!state_ || state_->threads.empty()) return;
  asio::post(*state_->loops.front(), [state = state_.get()] {
    boost::beast::error_code ignored;
    state->acceptor->close(ignored);
  });
  for (auto& loop : state_->loops) loop->stop();
  for (auto& thread : state_->threads) thread.join();
  state_->threads.clear();
  state_->workers->stop();  // what has not started is dropped; what has is waited for
  state_->workers->join();
}

}  // namespace medchain::api
