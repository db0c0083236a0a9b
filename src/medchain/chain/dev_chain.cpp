#include <medchain/chain/dev_chain.hpp>
#include <medchain/chain/eth_client.hpp>
#include <thread>

namespace medchain::chain {
namespace {

std::vector<std::string> anvil_arguments(const DevChainOptions& options, std::uint16_t port) {
  std::vector<std::string> argv{options.executable.string(),
                                "--host",
                                "127.0.0.1",
                                "--port",
                                std::to_string(port),
                                "--chain-id",
                                std::to_string(options.chain_id),
                                "--mnemonic",
                                kDevMnemonic};
  if (options.state_file) {
    // --state loads the file if it exists and dumps to it on exit; the interval also dumps
    // while running, so a crash loses at most a few seconds.
    argv.insert(argv.end(), {"--state", options.state_file->string(), "--state-interval", "5"});
  }
  return argv;
}

std::vector<std::string> ganache_arguments(const DevChainOptions& options, std::uint16_t port) {
  std::vector<std::string> argv{options.executable.string(),
          "--server.host",
          "127.0.0.1",
          "--server.port",
          std::to_string(port),
          "--chain.chainId",
          std::to_string(options.chain_id),
          "--wallet.mnemonic",
          kDevMnemonic,
          "--logging.quiet",
          "true",
          "--miner.instamine",
          "eager"};
  if (options.state_file) {
    // Every block is written to the database as it is mined: nothing to dump on exit.
    argv.insert(argv.end(), {"--database.dbPath", options.state_file->string()});
  }
  return argv;
}

}  // namespace

Result<DevChain> DevChain::start(const DevChainOptions& options) {
  if (!std::filesystem::exists(options.executable)) {
    return Error{Errc::kIo, options.executable.string() + " not found (run scripts/setup)"};
  }
  std::uint16_t port = options.port;
  if (port == 0) {
    MEDCHAIN_TRY(port, pick_free_loopback_port());
  }
  const auto argv = options.kind == DevChainKind::kAnvil ? anvil_arguments(options, port)
                                                         : ganache_arguments(options, port);
  MEDCHAIN_TRY(ChildProcess process, ChildProcess::spawn(argv, options.log_file));
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  EthClient client(HttpEndpoint::parse(url).value(),
                   RpcOptions{std::chrono::milliseconds(1'000), 1, std::chrono::milliseconds(0)});
  const auto give_up = std::chrono::steady_clock::now() + options.startup_timeout;
  while (std::chrono::steady_clock::now() < give_up) {
    if (!process.running()) {
      return Error{Errc::kIo,
                   options.executable.filename().string() + " exited during start-up" +
                       (options.log_file.empty() ? "" : "; see " + options.log_file.string())};
    }
    auto chain_id = client.chain_id();
    if (chain_id.ok()) {
      if (*chain_id != options.chain_id) {
        return Error{Errc::kWrongChain, "the chain on port " + std::to_string(port) +
                                            " has chain id " + std::to_string(*chain_id)};
      }
      return DevChain(std::move(process), url, port);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Error{Errc::kTimeout, options.executable.filename().string() + " did not answer within " +
                                   std::to_string(options.startup_timeout.count()) + " ms"};
}

}  // namespace medchain::chain
