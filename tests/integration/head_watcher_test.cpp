// New heads from real chains: over WebSocket subscriptions (anvil, ganache), by polling, and
// across a node restart; in order, without gaps or repeats.
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <medchain/chain/dev_chain.hpp>
#include <medchain/chain/head_watcher.hpp>
#include <medchain/core/hex.hpp>
#include <mutex>

#include "support/ledger.hpp"

namespace medchain::chain {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::filesystem::path kBin = MEDCHAIN_NODE_BIN_DIR;

// The heads a watcher reported, for the test thread to wait on.
class Heads {
 public:
  HeadWatcher::Callback callback() {
    return [this](const BlockHeader& head) {
      std::lock_guard lock(mutex_);
      heads_.push_back(head);
      changed_.notify_all();
    };
  }
  // Waits until a head numbered `number` arrived; false after 20 s.
  bool wait_for(std::uint64_t number) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 20s,
                             [&] { return !heads_.empty() && heads_.back().number >= number; });
  }
  std::vector<BlockHeader> all() {
    std::lock_guard lock(mutex_);
    return heads_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<BlockHeader> heads_;
};

DevChain start(DevChainKind kind, std::uint16_t port = 0,
               std::optional<std::filesystem::path> state = std::nullopt) {
  DevChainOptions options;
  options.kind = kind;
  options.executable = kBin / (kind == DevChainKind::kAnvil ? "anvil" : "ganache");
  options.chain_id = kind == DevChainKind::kAnvil ? 31337 : 1337;
  options.port = port;
  options.state_file = state;
  return DevChain::start(options).value();
}

void mine(EthClient& client, int blocks) {
  for (int i = 0; i < blocks; ++i) ASSERT_TRUE(client.rpc().call("evm_mine", json::array()).ok());
}

// Heads numbered from..to, each the parent of the next.
void expect_chain(const std::vector<BlockHeader>& heads, std::uint64_t from, std::uint64_t to) {
  ASSERT_EQ(heads.size(), to - from + 1);
  for (std::size_t i = 0; i < heads.size(); ++i) {
    EXPECT_EQ(heads[i].number, from + i);
    if (i > 0) {
      EXPECT_EQ(heads[i].parent_hash, heads[i - 1].hash);
    }
  }
}

class HeadWatcherTest : public ::testing::TestWithParam<DevChainKind> {};

TEST_P(HeadWatcherTest, FollowsNewHeadsOverAWebSocket) {
  DevChain chain = start(GetParam());
  EthClient client(HttpEndpoint::parse(chain.url()).value());
  Heads heads;
  HeadWatcher watcher(client, {}, heads.callback());
  ASSERT_TRUE(heads.wait_for(0));
  EXPECT_EQ(watcher.transport(), HeadWatcher::Transport::kWebSocket);
  mine(client, 5);
  ASSERT_TRUE(heads.wait_for(5));
  expect_chain(heads.all(), 0, 5);
}

INSTANTIATE_TEST_SUITE_P(Chains, HeadWatcherTest,
                         ::testing::Values(DevChainKind::kAnvil, DevChainKind::kGanache),
                         [](const auto& param_info) {
                           return param_info.param == DevChainKind::kAnvil ? "anvil" : "ganache";
                         });

TEST(HeadWatcher, PollingFillsTheGapsBetweenPolls) {
  DevChain chain = start(DevChainKind::kAnvil);
  EthClient client(HttpEndpoint::parse(chain.url()).value());
  Heads heads;
  HeadWatcherOptions options;
  options.use_websocket = false;
  options.poll_interval = 1'000ms;
  HeadWatcher watcher(client, options, heads.callback());
  ASSERT_TRUE(heads.wait_for(0));
  EXPECT_EQ(watcher.transport(), HeadWatcher::Transport::kPolling);
  mine(client, 4);  // well within one poll interval
  ASSERT_TRUE(heads.wait_for(4));
  expect_chain(heads.all(), 0, 4);
}

TEST(HeadWatcher, ReconnectsAfterTheNodeRestarts) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("medchain-heads-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::uint16_t port = pick_free_loopback_port().value();
  auto chain = std::make_unique<DevChain>(start(DevChainKind::kAnvil, port, dir / "state.json"));
  EthClient client(HttpEndpoint::parse(chain->url()).value(), RpcOptions{1'000ms, 1, 10ms});
  Heads heads;
  HeadWatcherOptions options;
  options.reconnect_after = 200ms;
  options.poll_interval = 50ms;
  HeadWatcher watcher(client, options, heads.callback());
  ASSERT_TRUE(heads.wait_for(0));
  mine(client, 2);
  ASSERT_TRUE(heads.wait_for(2));
  chain->stop();
  chain = std::make_unique<DevChain>(start(DevChainKind::kAnvil, port, dir / "state.json"));
  mine(client, 2);
  ASSERT_TRUE(heads.wait_for(4));
  expect_chain(heads.all(), 0, 4);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace medchain::chain
