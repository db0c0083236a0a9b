// New blocks as the chain makes them: over a WebSocket eth_subscribe("newHeads") where the
// node offers one (anvil, ganache, geth, Besu), by polling eth_blockNumber where it does not,
// or while the WebSocket is down. Heads arrive in order on one background thread, without gaps
// (missing numbers are fetched) and without repeats; a head that replaces one already reported
// (a reorg) is reported again with its new hash.
#pragma once

#include <atomic>
#include <functional>
#include <medchain/chain/eth_client.hpp>
#include <memory>
#include <thread>

namespace medchain::chain {

struct HeadWatcherOptions {
  bool use_websocket = true;                     // false: always poll
  std::chrono::milliseconds poll_interval{100};  // while polling
  std::chrono::milliseconds connect_timeout{3'000};
  std::chrono::milliseconds reconnect_after{1'000};  // polling in between
};

class HeadWatcher {
 public:
  enum class Transport { kWebSocket, kPolling };
  using Callback = std::function<void(const BlockHeader&)>;

  // Reports the current head, then every new one, to `on_head` (called from the watcher's
  // thread; it should return quickly). `client` must outlive the watcher.
  HeadWatcher(EthClient& client, HeadWatcherOptions options, Callback on_head);
  ~HeadWatcher();  // stops the thread; on_head is not called after it returns
  HeadWatcher(const HeadWatcher&) = delete;
  HeadWatcher& operator=(const HeadWatcher&) = delete;

  Transport transport() const noexcept { return transport_.load(); }

 private:
  struct WebSocket;
  void run();
  // Connects, upgrades and subscribes to newHeads. kUnsupported when the node answers the
  // subscription with an error (no subscriptions, e.g. behind an HTTP-only gateway).
  Status open_and_subscribe(WebSocket& socket);
  // Reads heads from the WebSocket until it fails or the watcher stops.
  Status follow_websocket(WebSocket& socket);
  void poll_once();
  void report(const BlockHeader& head);

  EthClient* client_;
  HeadWatcherOptions options_;
  Callback on_head_;
  std::atomic<bool> stopping_{false};
  std::atomic<Transport> transport_{Transport::kPolling};
  std::optional<BlockHeader> last_;  // the watcher thread's own
  std::thread thread_;
};

}  // namespace medchain::chain
