// The Beast side of transfer.hpp: one io_context per transfer, each asynchronous operation run
// to completion under its own expiry (that is the idle deadline), the body moved through one
// fixed buffer.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <limits>
#include <medchain/client/transfer.hpp>
#include <vector>

namespace medchain::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Refusals and upload answers are small JSON documents.
constexpr std::size_t kMaxAnswerBytes = 1024 * 1024;

class Connection {
 public:
  Connection(const chain::HttpEndpoint& endpoint, const TransferOptions& options)
      : endpoint_(endpoint), options_(options) {}

  Status open() {
    tcp::resolver resolver(io_);
    beast::error_code ec;
    auto addresses = resolver.resolve(endpoint_.host, endpoint_.port, ec);
    if (ec)
      return Error{Errc::kUnavailable, "cannot resolve " + endpoint_.host + ": " + ec.message()};
    stream_.expires_after(options_.idle_timeout);
    stream_.async_connect(addresses, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec) return failure("cannot connect to", ec);
    return {};
  }

  // Runs one asynchronous operation under the idle deadline; its error code.
  template <class Start>
  beast::error_code step(Start start) {
    beast::error_code ec;
    stream_.expires_after(options_.idle_timeout);
    start([&ec](beast::error_code e, std::size_t) { ec = e; });
    run();
    return ec;
  }

  Error failure(const std::string& doing, const beast::error_code& ec) const {
    if (ec == beast::error::timeout) {
      return Error{Errc::kTimeout, doing + " " + endpoint_.url() + ": no progress for " +
                                       std::to_string(options_.idle_timeout.count()) + " ms"};
    }
    return Error{Errc::kUnavailable, doing + " " + endpoint_.url() + ": " + ec.message()};
  }

  beast::tcp_stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }
  const chain::HttpEndpoint& endpoint() const { return endpoint_; }

 private:
  void run() {
    io_.restart();
    io_.run();
  }

  const chain::HttpEndpoint& endpoint_;
  const TransferOptions& options_;
  asio::io_context io_;
  beast::tcp_stream stream_{io_};
  beast::flat_buffer buffer_;
};

template <class Body>
void set_head(http::request<Body>& out, const chain::HttpEndpoint& endpoint,
              const chain::HttpRequest& request) {
  out.method_string(request.method);
  out.target(request.target);
  out.version(11);
  out.set(http::field::host, endpoint.host);
  for (const auto& [name, value] : request.headers) out.set(name, value);
  if (!request.content_type.empty()) out.set(http::field::content_type, request.content_type);
  out.keep_alive(false);
}

chain::HttpResponse to_response(http::response<http::string_body>&& response) {
  chain::HttpResponse out{static_cast<int>(response.result_int()),
                          std::move(response.body()),
                          std::string(response[http::field::content_type]),
                          {}};
  for (const auto& field : response) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return out;
}

Result<chain::HttpResponse> read_answer(Connection& c) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxAnswerBytes);
  const auto ec =
      c.step([&](auto done) { http::async_read(c.stream(), c.buffer(), parser, done); });
  if (ec) return c.failure("no answer from", ec);
  return to_response(parser.release());
}

// A chunk's size line (RFC 9112 section 7.1): hex digits and CRLF.
std::string chunk_size_line(std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  do {
    hex.insert(hex.begin(), kDigits[size % 16]);
    size /= 16;
  } while (size != 0);
  return hex + "\r\n";
}

// The last chunk and the trailer's fields after it.
std::string last_chunk(const std::vector<std::pair<std::string, std::string>>& trailer) {
  std::string out = "0\r\n";
  for (const auto& [name, value] : trailer) out += name + ": " + value + "\r\n";
  return out + "\r\n";
}

// Writes the body, as chunks when `chunked`; an Error from `read` or a short body, or the
// network error code.
Result<beast::error_code> write_body(Connection& c, std::uint64_t size, const ReadFn& read,
                                     const ProgressFn& progress, std::size_t piece_size,
                                     bool chunked) {
  std::vector<std::uint8_t> piece(piece_size);
  std::uint64_t sent = 0;
  while (sent < size) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), size - sent));
    MEDCHAIN_TRY(const std::size_t got, read(std::span<std::uint8_t>(piece.data(), want)));
    if (got == 0) {
      return Error{Errc::kInvalidArgument, "the body ended after " + std::to_string(sent) + " of " +
                                               std::to_string(size) + " bytes"};
    }
    if (got > want) return Error{Errc::kInvalidArgument, "the body reader overran its buffer"};
    const std::string size_line = chunked ? chunk_size_line(got) : std::string();
    const std::array<asio::const_buffer, 3> chunk{asio::buffer(size_line),
                                                  asio::buffer(piece.data(), got),
                                                  asio::buffer(chunked ? "\r\n" : "", chunked ? 2 : 0)};
    const auto ec = c.step([&](auto done) { asio::async_write(c.stream(), chunk, done); });
    if (ec) return ec;
    sent += got;
    if (progress) progress(sent, size);
  }
  // The body must be exactly `size` bytes: a reader with more to give is a caller's bug.
  std::uint8_t extra = 0;
  MEDCHAIN_TRY(const std::size_t more, read(std::span<std::uint8_t>(&extra, 1)));
  if (more != 0) return Error{Errc::kInvalidArgument, "the body is longer than declared"};
  return beast::error_code{};
}

}  // namespace

Result<chain::HttpResponse> send_streamed(const chain::HttpEndpoint& endpoint,
                                          const chain::HttpRequest& request, std::uint64_t size,
                                          const ReadFn& read, const ProgressFn& progress,
                                          const TransferOptions& options,
                                          const TrailerFn& trailer) {
  Connection c(endpoint, options);
  MEDCHAIN_TRY_STATUS(c.open());
  http::request<http::empty_body> head;
  set_head(head, endpoint, request);
  const bool chunked = static_cast<bool>(trailer);
  if (chunked) {
    head.set(http::field::transfer_encoding, "chunked");
  } else {
    head.content_length(size);
  }
  http::request_serializer<http::empty_body> serializer(head);
  auto ec = c.step([&](auto done) { http::async_write_header(c.stream(), serializer, done); });
  if (!ec) {
    MEDCHAIN_TRY(ec, write_body(c, size, read, progress, options.piece_size, chunked));
  }
  if (!ec && chunked) {
    const std::string end = last_chunk(trailer());
    ec = c.step([&](auto done) { asio::async_write(c.stream(), asio::buffer(end), done); });
  }
  // A node that refuses the head answers at once and then stops reading: the write fails, but
  // its answer is waiting to be read.
  auto answer = read_answer(c);
  if (!answer.ok() && ec) return c.failure("sending to", ec);
  return answer;
}

Result<chain::HttpResponse> receive_streamed(const chain::HttpEndpoint& endpoint,
                                             const chain::HttpRequest& request,
                                             const WriteFn& write, const ProgressFn& progress,
                                             const TransferOptions& options) {
  Connection c(endpoint, options);
  MEDCHAIN_TRY_STATUS(c.open());
  http::request<http::empty_body> head;
  set_head(head, endpoint, request);
  auto ec = c.step([&](auto done) { http::async_write(c.stream(), head, done); });
  if (ec) return c.failure("sending to", ec);

  http::response_parser<http::buffer_body> parser;
  // The node's maxBlobBytes bounds a blob, not memory. (Not boost::none: Beast 1.74 compares
  // the length against a disengaged optional and refuses every body.)
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  ec = c.step([&](auto done) { http::async_read_header(c.stream(), c.buffer(), parser, done); });
  if (ec) return c.failure("no answer from", ec);
  const int status = static_cast<int>(parser.get().result_int());
  if (status < 200 || status >= 300) {
    // A refusal: read it whole, it is a small problem document.
    http::response_parser<http::string_body> refusal(std::move(parser));
    refusal.body_limit(kMaxAnswerBytes);
    ec = c.step([&](auto done) { http::async_read(c.stream(), c.buffer(), refusal, done); });
    if (ec) return c.failure("reading the answer of", ec);
    return to_response(refusal.release());
  }
  const std::uint64_t total = parser.content_length().value_or(0);
  std::vector<std::uint8_t> piece(options.piece_size);
  // Beast reads a body through the connection's buffer in steps of its spare capacity (at
  // least 512 bytes): after a small response head that is about 512 bytes a system call, which
  // held a 1 GiB download to ~60 MB/s. A piece's worth of room makes each read up to a piece.
  c.buffer().reserve(options.piece_size);
  std::uint64_t received = 0;
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    ec = c.step([&](auto done) { http::async_read(c.stream(), c.buffer(), parser, done); });
    if (ec && ec != http::error::need_buffer) return c.failure("receiving from", ec);
    const std::size_t got = piece.size() - parser.get().body().size;
    if (got > 0) {
      MEDCHAIN_TRY_STATUS(write(ByteView(piece.data(), got)));
      received += got;
      if (progress) progress(received, total);
    }
  }
  http::response<http::buffer_body> done = parser.release();
  chain::HttpResponse out{status, "", std::string(done[http::field::content_type]), {}};
  for (const auto& field : done) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return out;
}

}  // namespace medchain::client
