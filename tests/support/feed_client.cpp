#include "support/feed_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace medchain::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using nlohmann::json;

struct FeedClient::Connection {
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws{io};
};

FeedClient::FeedClient(const std::string& authority, const std::string& token)
    : connection_(std::make_unique<Connection>()) {
  const auto colon = authority.rfind(':');
  asio::ip::tcp::resolver resolver(connection_->io);
  const auto endpoints = resolver.resolve(authority.substr(0, colon), authority.substr(colon + 1));
  asio::connect(connection_->ws.next_layer(), endpoints);
  connection_->ws.handshake(authority, "/v1/events?access_token=" + token);
  reader_ = std::thread([this] {
    for (;;) {
      beast::flat_buffer buffer;
      beast::error_code ec;
      connection_->ws.read(buffer, ec);
      if (ec) {
        std::lock_guard lock(mutex_);
        closed_ = true;
        return;
      }
      json message = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
      std::lock_guard lock(mutex_);
      messages_.push_back(std::move(message));
    }
  });
}

FeedClient::~FeedClient() {
  beast::error_code ignored;
  connection_->ws.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  connection_->ws.next_layer().close(ignored);
  if (reader_.joinable()) reader_.join();
}

std::vector<json> FeedClient::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

bool FeedClient::wait_closed(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

bool FeedClient::wait_for(const std::function<bool(const json&)>& match,
                          std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    for (const json& message : messages()) {
      if (match(message)) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

std::function<bool(const json&)> chain_event(const std::string& name) {
  return [name](const json& message) {
    return message.value("type", "") == "chain" && message.value("event", "") == name;
  };
}

}  // namespace medchain::test
