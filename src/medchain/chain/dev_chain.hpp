// Development chains on loopback: anvil (foundry) or ganache, both from npm, started as child
// processes and stopped when the DevChain is destroyed.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <medchain/core/process.hpp>
#include <optional>
#include <string>

namespace medchain::chain {

enum class DevChainKind { kAnvil, kGanache };

struct DevChainOptions {
  DevChainKind kind = DevChainKind::kAnvil;
  std::filesystem::path executable;  // node_modules/.bin/anvil or node_modules/.bin/ganache
  std::uint16_t port = 0;            // 0: a free loopback port
  std::uint64_t chain_id = 31337;
  // Where the chain keeps its state, so a restart resumes the same chain: anvil loads this file
  // at start and dumps it there (every few seconds and on exit); ganache keeps its database in
  // this directory.
  std::optional<std::filesystem::path> state_file;
  std::filesystem::path log_file;  // the chain's output; discarded when empty
  std::chrono::milliseconds startup_timeout{30'000};
};

// The standard development mnemonic of anvil, hardhat and ganache ("test test ... junk"); its
// accounts are public knowledge and hold ether only on development chains.
inline constexpr const char* kDevMnemonic =
    "test test test test test test test test test test test junk";

class DevChain {
 public:
  // Starts the chain and waits until it answers eth_chainId. kIo when it cannot start,
  // kTimeout when it does not answer within startup_timeout.
  static Result<DevChain> start(const DevChainOptions& options);

  const std::string& url() const noexcept { return url_; }
  std::uint16_t port() const noexcept { return port_; }
  ChildProcess& process() noexcept { return process_; }

  // Stops the chain gracefully (anvil dumps its state file on SIGTERM).
  int stop() { return process_.stop(); }

 private:
  DevChain(ChildProcess process, std::string url, std::uint16_t port)
      : process_(std::move(process)), url_(std::move(url)), port_(port) {}

  ChildProcess process_;
  std::string url_;
  std::uint16_t port_ = 0;
};

}  // namespace medchain::chain
