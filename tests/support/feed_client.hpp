// A WebSocket client of medchaind's real-time feed (GET /v1/events) for tests: connects with a
// session token and collects every message on a thread of its own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace medchain::test {

class FeedClient {
 public:
  // Connects to ws://<authority>/v1/events?access_token=<token>; throws if the handshake fails.
  FeedClient(const std::string& authority, const std::string& token);
  ~FeedClient();

  std::vector<nlohmann::json> messages() const;
  // Waits until the node closes the socket; whether it did within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout) const;
  // Waits until a message satisfies `match`; whether one did within `timeout`.
  bool wait_for(const std::function<bool(const nlohmann::json&)>& match,
                std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
  mutable std::mutex mutex_;
  std::vector<nlohmann::json> messages_;
  bool closed_ = false;
  std::thread reader_;
};

// Matches a chain event by name, e.g. chain_event("AccessGranted").
std::function<bool(const nlohmann::json&)> chain_event(const std::string& name);

}  // namespace medchain::test
