#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <medchain/chain/head_watcher.hpp>

namespace medchain::chain {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct HeadWatcher::WebSocket {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> stream{io};
  beast::flat_buffer buffer;

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream).close();
  }

  // Runs the operation just started until `done`, for at most `timeout`; on timeout the
  // connection is closed and the operation cancelled.
  Status run(const bool& done, std::chrono::milliseconds timeout, const char* what) {
    io.restart();
    io.run_for(timeout);
    if (done) return {};
    close();
    io.restart();
    io.run();
    return Error{Errc::kTimeout, std::string("WebSocket ") + what + " timed out"};
  }
};

namespace {

Error ws_error(const char* what, const beast::error_code& ec) {
  return Error{Errc::kUnavailable, std::string("WebSocket ") + what + ": " + ec.message()};
}

}  // namespace

Status HeadWatcher::open_and_subscribe(WebSocket& socket) {
  const HttpEndpoint& endpoint = client_->rpc().endpoint();
  const std::chrono::milliseconds timeout = options_.connect_timeout;
  beast::error_code ec;
  tcp::resolver resolver(socket.io);
  const auto addresses = resolver.resolve(endpoint.host, endpoint.port, ec);
  if (ec) return ws_error("resolve", ec);
  bool done = false;
  beast::get_lowest_layer(socket.stream)
      .async_connect(addresses, [&](beast::error_code result, const tcp::endpoint&) {
        ec = result;
        done = true;
      });
  MEDCHAIN_TRY_STATUS(socket.run(done, timeout, "connect"));
  if (ec) return ws_error("connect", ec);

  socket.stream.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  done = false;
  socket.stream.async_handshake(endpoint.host + ":" + endpoint.port, endpoint.target,
                                [&](beast::error_code result) {
                                  ec = result;
                                  done = true;
                                });
  MEDCHAIN_TRY_STATUS(socket.run(done, timeout, "handshake"));
  if (ec) return ws_error("handshake", ec);

  const std::string request = json{
      {"jsonrpc", "2.0"},
      {"id", 1},
      {"method", "eth_subscribe"},
      {"params", {"newHeads"}}}.dump();
  done = false;
  socket.stream.async_write(asio::buffer(request), [&](beast::error_code result, std::size_t) {
    ec = result;
    done = true;
  });
  MEDCHAIN_TRY_STATUS(socket.run(done, timeout, "write"));
  if (ec) return ws_error("write", ec);
  done = false;
  socket.stream.async_read(socket.buffer, [&](beast::error_code result, std::size_t) {
    ec = result;
    done = true;
  });
  MEDCHAIN_TRY_STATUS(socket.run(done, timeout, "read"));
  if (ec) return ws_error("read", ec);
  const json reply = json::parse(beast::buffers_to_string(socket.buffer.data()), nullptr, false);
  socket.buffer.consume(socket.buffer.size());
  if (!reply.is_object() || reply.contains("error") || !reply.contains("result")) {
    return Error{Errc::kUnsupported, "the node does not offer newHeads subscriptions"};
  }
  return {};
}

HeadWatcher::HeadWatcher(EthClient& client, HeadWatcherOptions options, Callback on_head)
    : client_(&client), options_(options), on_head_(std::move(on_head)) {
  thread_ = std::thread([this] { run(); });
}

HeadWatcher::~HeadWatcher() {
  stopping_ = true;
  thread_.join();
}

void HeadWatcher::run() {
  bool websocket_offered = options_.use_websocket;
  while (!stopping_) {
    if (websocket_offered) {
      WebSocket socket;
      const Status opened = open_and_subscribe(socket);
      if (opened.ok()) {
        transport_ = Transport::kWebSocket;
        poll_once();                     // what came before the subscription
        (void)follow_websocket(socket);  // until it fails or we stop
        socket.close();
        if (stopping_) return;
      } else if (opened.error().code == Errc::kUnsupported) {
        websocket_offered = false;
      }
    }
    // Poll: for good without subscriptions, else until the next reconnection attempt.
    transport_ = Transport::kPolling;
    const auto reconnect_at = Clock::now() + options_.reconnect_after;
    while (!stopping_ && (!websocket_offered || Clock::now() < reconnect_at)) {
      poll_once();
      const auto wake = Clock::now() + options_.poll_interval;
      while (!stopping_ && Clock::now() < wake) {
        std::this_thread::sleep_for(
            std::min(options_.poll_interval, std::chrono::milliseconds(10)));
      }
    }
  }
}

Status HeadWatcher::follow_websocket(WebSocket& socket) {
  for (;;) {
    bool done = false;
    beast::error_code ec;
    socket.stream.async_read(socket.buffer, [&](beast::error_code result, std::size_t) {
      ec = result;
      done = true;
    });
    socket.io.restart();
    // Short slices, so a stop request is seen promptly while no block comes.
    while (!done) {
      socket.io.run_for(std::chrono::milliseconds(50));
      if (stopping_ && !done) {
        socket.close();
        socket.io.restart();
        socket.io.run();
        return {};
      }
    }
    if (ec) return ws_error("read", ec);
    const json message =
        json::parse(beast::buffers_to_string(socket.buffer.data()), nullptr, false);
    socket.buffer.consume(socket.buffer.size());
    if (!message.is_object() || message.value("method", "") != "eth_subscription") continue;
    const json params = message.value("params", json::object());
    auto head = parse_block_header(params.is_object() ? params.value("result", json()) : json());
    if (!head.ok()) return std::move(head).error();
    report(*head);
  }
}

void HeadWatcher::poll_once() {
  auto head = client_->latest_block();
  if (head.ok() && head->has_value()) report(**head);
}

void HeadWatcher::report(const BlockHeader& head) {
  if (last_ && head.hash == last_->hash) return;
  if (last_ && head.number > last_->number + 1) {
    // Missed heads (a notification lost in a reconnection, blocks between two polls).
    for (std::uint64_t number = last_->number + 1; number < head.number && !stopping_; ++number) {
      auto missed = client_->block_by_number(number);
      if (!missed.ok() || !missed->has_value()) break;
      on_head_(**missed);
      last_ = **missed;
    }
  }
  if (stopping_) return;
  on_head_(head);
  last_ = head;
}

}  // namespace medchain::chain
