// The life of a connection: read a request's head; then either buffer its body and hand the
// request to Handlers::respond, or stream the body to the BodySink of Handlers::upload; write
// the response, streaming it from its BodySource when it has one; repeat while keep-alive.
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <limits>
#include <map>
#include <medchain/api/detail/http_connection.hpp>
#include <medchain/api/detail/websocket_session.hpp>
#include <medchain/api/problem.hpp>

namespace medchain::api::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kPieceBytes = 256 * 1024;
constexpr std::size_t kLingerBytes = 16 * 1024 * 1024;  // read and dropped before closing

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <class Body>
Request request_head(const http::request<Body>& message, const std::string& peer) {
  Request request;
  request.method = std::string(message.method_string());
  const std::string_view target(message.target().data(), message.target().size());
  const auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  for (const auto& field : message) {
    request
        .headers[lower(std::string_view(field.name_string().data(), field.name_string().size()))] =
        std::string(field.value());
  }
  request.peer = peer;
  return request;
}

Response too_large(std::uint64_t limit) {
  return problem(413, "body_too_large", "Request body too large",
                 "the body exceeds " + std::to_string(limit) + " bytes");
}

// After a malformed request the rest of the stream cannot be trusted: the connection closes.
Response malformed(const boost::system::error_code& ec) {
  return problem(400, "malformed_http", "Malformed HTTP request", ec.message());
}

Response call_handler(const std::function<Response()>& call) {
  try {
    return call();
  } catch (const std::exception&) {
    return problem(500, "internal", "Internal error", "the node could not answer");
  }
}

// A connection over `Stream`: LoopStream, or beast::ssl_stream of one for TLS.
template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(LoopSocket socket, HttpServer::State& state)
      : stream_(make_stream(std::move(socket), state)), state_(state) {
    beast::error_code ec;
    const auto remote = socket_().remote_endpoint(ec);
    if (!ec) peer_ = remote.address().to_string();
  }

  // The TLS handshake first, when there is TLS; then requests.
  void start() {
    if constexpr (kTls) {
      lowest_().expires_after(state_.options.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close();
                                self->read_head();
                              });
    } else {
      read_head();
    }
  }

  void read_head() {
    head_parser_.emplace();
    head_parser_->header_limit(16 * 1024);
    // The body's limit depends on the route: checked once the head is known.
    head_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    lowest_().expires_after(state_.options.read_timeout);
    http::async_read_header(stream_, buffer_, *head_parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_head(ec);
                            });
  }

 private:
  // ---- reading -------------------------------------------------------------------------

  bool closed_by_peer(beast::error_code ec) const {
    return ec == http::error::end_of_stream || ec == beast::error::timeout ||
           ec == asio::error::connection_reset || ec == asio::error::eof ||
           ec == http::error::partial_message;
  }

  void on_head(beast::error_code ec) {
    if (closed_by_peer(ec)) return close();
    if (ec) return respond(malformed(ec), false);
    const auto& message = head_parser_->get();
    keep_alive_ = message.keep_alive();
    Request head = request_head(message, peer_);
    const auto declared_length = head_parser_->content_length();

    if (state_.handlers.websocket && beast::websocket::is_upgrade(message)) {
      return upgrade(head);
    }
    std::optional<Upload> upload;
    if (state_.handlers.upload) {
      try {
        upload = state_.handlers.upload(head);
      } catch (const std::exception&) {
        return respond(problem(500, "internal", "Internal error", "the node could not answer"),
                       false);
      }
    }
    if (upload) {
      // The unread body makes the connection unusable after a refusal.
      if (!upload->sink) return respond(std::move(upload->refusal), false);
      if (declared_length && *declared_length > upload->max_bytes)
        return respond(too_large(upload->max_bytes), false);
      return start_upload(std::move(*upload));
    }
    if (declared_length && *declared_length > state_.options.max_body_bytes)
      return respond(too_large(state_.options.max_body_bytes), false);
    // Most requests have no body (a GET): answered now, not after another trip through the
    // I/O loop to read nothing.
    if (head_parser_->is_done()) return answer(std::move(head));
    continue_if_expected();
    body_parser_.emplace(std::move(*head_parser_));
    body_parser_->body_limit(state_.options.max_body_bytes);
    http::async_read(stream_, buffer_, *body_parser_,
                     [self = this->shared_from_this(), head = std::move(head)](
                         beast::error_code read_ec, std::size_t) mutable {
                       self->on_body(read_ec, std::move(head));
                     });
  }

  void on_body(beast::error_code ec, Request request) {
    if (ec == http::error::body_limit)
      return respond(too_large(state_.options.max_body_bytes), false);
    if (closed_by_peer(ec)) return close();
    if (ec) return respond(malformed(ec), false);
    request.body = std::move(body_parser_->get().body());
    body_parser_.reset();
    answer(std::move(request));
  }

  // Answers `request` on this loop, or, when its handler may wait long (Handlers::waits), on a
  // worker thread, so that the other connections of this loop are not held up meanwhile.
  void answer(Request request) {
    if (!state_.handlers.waits || !state_.handlers.waits(request)) {
      return respond(call_handler([&] { return state_.handlers.respond(request); }));
    }
    asio::post(*state_.workers, [self = this->shared_from_this(), request = std::move(request)] {
      auto response = std::make_shared<Response>(
          call_handler([&] { return self->state_.handlers.respond(request); }));
      asio::post(self->stream_.get_executor(),
                 [self, response] { self->respond(std::move(*response)); });
    });
  }

  void upgrade(const Request& head) {
    WebSocketAccept accept;
    try {
      accept = state_.handlers.websocket(head);
    } catch (const std::exception&) {
      return respond(problem(500, "internal", "Internal error", "the node could not answer"),
                     false);
    }
    if (!accept.accepted) return respond(std::move(accept.refusal), false);
    // The connection becomes the WebSocket's; this object is done with it.
    run_websocket(std::move(stream_), head_parser_->release(), std::move(accept));
  }

  // A client that sent "Expect: 100-continue" waits for this before sending the body.
  void continue_if_expected() {
    const auto& message = head_parser_->get();
    if (!beast::iequals(message[http::field::expect], "100-continue")) return;
    http::response<http::empty_body> go_on{http::status::continue_, 11};
    beast::error_code ignored;
    lowest_().expires_after(state_.options.read_timeout);
    http::write(stream_, go_on, ignored);  // a few bytes: a failure shows on the next read
  }

  void start_upload(Upload upload) {
    continue_if_expected();
    upload_ = std::move(upload);
    // Beast adds a chunked body's trailer to the message's fields, each after the last field of
    // its name: the trailer is what the head did not have.
    head_field_counts_.clear();
    for (const auto& field : head_parser_->get()) ++head_field_counts_[field_name(field)];
    upload_parser_.emplace(std::move(*head_parser_));
    upload_parser_->body_limit(upload_->max_bytes);
    piece_.resize(kPieceBytes);
    // Beast reads a body through buffer_ in steps of its spare capacity (at least 512 bytes):
    // after a small request head that is about 512 bytes a system call, which capped uploads at
    // ~40 MB/s. A piece's worth of room makes each read up to a piece.
    buffer_.reserve(kPieceBytes);
    read_piece();
  }

  void read_piece() {
    auto& body = upload_parser_->get().body();
    body.data = piece_.data();
    body.size = piece_.size();
    lowest_().expires_after(state_.options.read_timeout);
    http::async_read(stream_, buffer_, *upload_parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_piece(ec);
                     });
  }

  void on_piece(beast::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::body_limit) {
      const std::uint64_t limit = upload_->max_bytes;
      upload_.reset();
      upload_parser_.reset();
      return respond(too_large(limit), false);
    }
    if (ec) {
      // Truncated, timed out or malformed: the sink is destroyed unfinished and keeps nothing.
      upload_.reset();
      upload_parser_.reset();
      if (closed_by_peer(ec)) return close();
      return respond(malformed(ec), false);
    }
    const std::size_t received = piece_.size() - upload_parser_->get().body().size;
    if (received > 0) {
      Status written = upload_->sink->write(ByteView(piece_.data(), received));
      if (!written.ok()) {
        upload_.reset();
        upload_parser_.reset();
        return respond(problem_for(written.error()), false);
      }
    }
    if (!upload_parser_->is_done()) return read_piece();
    const auto trailer = trailer_fields();
    Response response = call_handler([&] { return upload_->sink->finish(trailer); });
    upload_.reset();
    upload_parser_.reset();
    buffer_.shrink_to_fit();  // a kept-alive connection does not hold on to the upload's room
    respond(std::move(response));
  }

  template <class Field>
  static std::string field_name(const Field& field) {
    return lower(std::string_view(field.name_string().data(), field.name_string().size()));
  }

  std::map<std::string, std::string> trailer_fields() const {
    std::map<std::string, std::string> trailer;
    std::map<std::string, std::size_t> seen;
    for (const auto& field : upload_parser_->get()) {
      std::string name = field_name(field);
      const auto in_head = head_field_counts_.find(name);
      if (++seen[name] > (in_head == head_field_counts_.end() ? 0 : in_head->second)) {
        trailer[std::move(name)] = std::string(field.value());
      }
    }
    return trailer;
  }

  // ---- writing -------------------------------------------------------------------------

  template <class Message>
  void set_common_fields(Message& reply, const Response& response, bool keep_alive) {
    reply.set(http::field::server, "medchaind");
    reply.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : state_.options.headers) reply.set(name, value);
    for (const auto& [name, value] : response.headers) reply.set(name, value);
    reply.keep_alive(keep_alive);
  }

  void respond(Response response, bool keep_alive = true) {
    keep_alive = keep_alive && keep_alive_;
    lowest_().expires_after(state_.options.read_timeout);
    if (response.stream) return respond_streamed(std::move(response), keep_alive);
    auto reply = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), 11);
    set_common_fields(*reply, response, keep_alive);
    reply->body() = std::move(response.body);
    reply->prepare_payload();
    http::async_write(stream_, *reply,
                      [self = this->shared_from_this(), reply](beast::error_code ec, std::size_t) {
                        self->after_response(ec, reply->keep_alive());
                      });
  }

  void respond_streamed(Response response, bool keep_alive) {
    source_ = std::move(response.stream);
    source_left_ = response.stream_size;
    streamed_reply_.emplace(static_cast<http::status>(response.status), 11);
    set_common_fields(*streamed_reply_, response, keep_alive);
    streamed_reply_->content_length(response.stream_size);
    streamed_reply_->body().data = nullptr;
    streamed_reply_->body().more = true;
    serializer_.emplace(*streamed_reply_);
    piece_.resize(kPieceBytes);
    http::async_write_header(stream_, *serializer_,
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               self->write_piece(ec);
                             });
  }

  void write_piece(beast::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return close();
    if (serializer_->is_done()) return finish_streamed();
    auto& body = streamed_reply_->body();
    std::size_t produced = 0;
    if (source_left_ > 0) {
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(source_left_, piece_.size()));
      auto read = source_->read(std::span(piece_.data(), want));
      // Headers are gone: the only honest signal left is to cut the connection short.
      if (!read.ok() || *read == 0) return close();
      produced = *read;
      source_left_ -= produced;
    }
    body.data = produced > 0 ? piece_.data() : nullptr;
    body.size = produced;
    body.more = source_left_ > 0;
    lowest_().expires_after(state_.options.read_timeout);
    http::async_write(stream_, *serializer_,
                      [self = this->shared_from_this()](beast::error_code write_ec, std::size_t) {
                        self->write_piece(write_ec);
                      });
  }

  void finish_streamed() {
    const bool keep_alive = streamed_reply_->keep_alive();
    serializer_.reset();
    streamed_reply_.reset();
    source_.reset();
    after_response({}, keep_alive);
  }

  void after_response(beast::error_code ec, bool keep_alive) {
    if (ec || !keep_alive) return close();
    read_head();
  }

  // Ends the connection. A client may still be sending a body the server refused without
  // reading; closing at once would make its kernel answer with a reset that destroys the
  // response in flight. So the server stops sending, then reads and discards for a while
  // (a lingering close, as nginx does) before letting go. Over TLS, the close_notify alert
  // is the end; what follows is not read.
  void close() {
    if constexpr (kTls) {
      lowest_().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->socket_().shutdown(tcp::socket::shutdown_both, ignored);
      });
    } else {
      beast::error_code ignored;
      socket_().shutdown(tcp::socket::shutdown_send, ignored);
      piece_.resize(64 * 1024);
      drain(kLingerBytes);
    }
  }

  void drain(std::size_t budget) {
    lowest_().expires_after(state_.options.read_timeout);
    stream_.async_read_some(asio::buffer(piece_), [self = this->shared_from_this(), budget](
                                                      beast::error_code ec, std::size_t read) {
      if (ec || read >= budget) {
        beast::error_code ignored;
        self->socket_().shutdown(tcp::socket::shutdown_both, ignored);
        return;
      }
      self->drain(budget - read);
    });
  }

  static constexpr bool kTls = !std::is_same_v<Stream, LoopStream>;

  static Stream make_stream(LoopSocket socket, HttpServer::State& state) {
    if constexpr (kTls) {
      return Stream(LoopStream(std::move(socket)), *state.tls);
    } else {
      return Stream(std::move(socket));
    }
  }
  LoopStream& lowest_() { return beast::get_lowest_layer(stream_); }
  LoopSocket& socket_() { return lowest_().socket(); }

  Stream stream_;
  beast::flat_buffer buffer_;
  HttpServer::State& state_;
  std::string peer_;
  bool keep_alive_ = true;

  std::optional<http::request_parser<http::empty_body>> head_parser_;
  std::optional<http::request_parser<http::string_body>> body_parser_;
  std::optional<http::request_parser<http::buffer_body>> upload_parser_;
  std::optional<Upload> upload_;
  std::map<std::string, std::size_t> head_field_counts_;  // of the upload's head
  std::vector<std::uint8_t> piece_;

  std::unique_ptr<BodySource> source_;
  std::uint64_t source_left_ = 0;
  std::optional<http::response<http::buffer_body>> streamed_reply_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
};

}  // namespace

void serve_connection(LoopSocket socket, HttpServer::State& state) {
  if (state.tls) {
    std::make_shared<Connection<beast::ssl_stream<LoopStream>>>(std::move(socket), state)->start();
  } else {
    std::make_shared<Connection<LoopStream>>(std::move(socket), state)->start();
  }
}

}  // namespace medchain::api::detail
