#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <medchain/api/http_server.hpp>
#include <medchain/api/problem.hpp>
#include <optional>
#include <thread>

namespace medchain::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

const std::string& Request::header(const std::string& name) const {
  static const std::string kEmpty;
  const auto found = headers.find(name);
  return found == headers.end() ? kEmpty : found->second;
}

struct HttpServer::State {
  ServerOptions options;
  Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
};

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One client connection: read a request, answer it, repeat while keep-alive.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, HttpServer::State& state)
      : stream_(std::move(socket)), state_(state) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(state_.options.max_body_bytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(state_.options.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return respond(
          problem(413, "body_too_large", "Request body too large",
                  "the body exceeds " + std::to_string(state_.options.max_body_bytes) + " bytes"),
          false);
    }
    if (ec) {
      return respond(problem(400, "malformed_http", "Malformed HTTP request", ec.message()), false);
    }
    auto message = parser_->release();
    Request request;
    request.method = std::string(message.method_string());
    const std::string_view target(message.target().data(), message.target().size());
    const auto question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos)
      request.query = std::string(target.substr(question + 1));
    for (const auto& field : message) {
      request.headers[lower(std::string_view(
          field.name_string().data(), field.name_string().size()))] = std::string(field.value());
    }
    request.body = std::move(message.body());
    Response response;
    try {
      response = state_.handler(request);
    } catch (const std::exception&) {
      response = problem(500, "internal", "Internal error", "the node could not answer");
    }
    respond(std::move(response), message.keep_alive());
  }

  void respond(Response response, bool keep_alive) {
    auto reply = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), 11);
    reply->set(http::field::server, "medchaind");
    reply->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) reply->set(name, value);
    reply->keep_alive(keep_alive);
    reply->body() = std::move(response.body);
    reply->prepare_payload();
    stream_.expires_after(state_.options.read_timeout);
    http::async_write(stream_, *reply,
                      [self = shared_from_this(), reply](beast::error_code ec, std::size_t) {
                        if (ec || !reply->keep_alive()) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer::State& state_;
};

void accept(HttpServer::State& state) {
  state.acceptor.async_accept(asio::make_strand(state.io),
                              [&state](beast::error_code ec, tcp::socket socket) {
                                if (ec == asio::error::operation_aborted) return;
                                if (!ec)
                                  std::make_shared<Connection>(std::move(socket), state)->start();
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
                                                      Handler handler) {
  auto state = std::make_unique<State>();
  state->options = options;
  state->handler = std::move(handler);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) return Error{Errc::kInvalidArgument, "not an IP address: " + options.address};
  const tcp::endpoint endpoint{address, options.port};
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{Errc::kIo, "cannot listen on " + options.address + ":" +
                                std::to_string(options.port) + ": " + ec.message()};
  }
  state->port = state->acceptor.local_endpoint().port();
  accept(*state);
  for (unsigned i = 0; i < std::max(1u, options.threads); ++i) {
    state->threads.emplace_back([io = &state->io] { io->run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

void HttpServer::stop() {
  if (!state_ || state_->threads.empty()) return;
  asio::post(state_->io, [state = state_.get()] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
  });
  state_->io.stop();
  for (auto& thread : state_->threads) thread.join();
  state_->threads.clear();
}

}  // namespace medchain::api
