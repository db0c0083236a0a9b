// `medchain dev`: the whole local system on loopback, for development only. Starts anvil with
// its state in the data directory (a restart resumes the same chain) and stops everything on
// Ctrl-C.
#include <signal.h>

#include <iostream>
#include <medchain/chain/dev_chain.hpp>

#include "cli.hpp"

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;

struct DevOptions {
  fs::path data_dir = ".medchain-dev";
  std::uint16_t chain_port = 8545;
  std::uint64_t chain_id = 31337;
  fs::path anvil = fs::path(MEDCHAIN_SOURCE_DIR) / "node_modules/.bin/anvil";
};

// Blocks until SIGINT or SIGTERM. The signals are blocked in every thread first, so neither
// interrupts a system call half-way; sigwait takes them synchronously.
void wait_for_stop_signal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
}

void block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

Status run_dev(const DevOptions& options) {
  block_stop_signals();
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec)
    return Error{Errc::kIo, "cannot create " + options.data_dir.string() + ": " + ec.message()};
  const fs::path data_dir = fs::absolute(options.data_dir);

  chain::DevChainOptions chain_options;
  chain_options.executable = options.anvil;
  chain_options.port = options.chain_port;
  chain_options.chain_id = options.chain_id;
  chain_options.state_file = data_dir / "chain-state.json";
  chain_options.log_file = data_dir / "anvil.log";
  const bool resumed = fs::exists(*chain_options.state_file);
  MEDCHAIN_TRY(chain::DevChain chain, chain::DevChain::start(chain_options));

  std::cout << "medchain dev (DEVELOPMENT ONLY: keys printed here are public)\n"
            << "  chain     " << chain.url() << "  (anvil, chain id " << options.chain_id
            << (resumed ? ", resumed from " : ", new; state in ")
            << chain_options.state_file->string() << ")\n"
            << "  data dir  " << data_dir.string() << "\n"
            << "Press Ctrl-C to stop.\n"
            << std::flush;
  wait_for_stop_signal();
  std::cout << "stopping..." << std::endl;
  chain.stop();
  std::cout << "stopped; the chain state is saved in " << chain_options.state_file->string()
            << "\n";
  return {};
}

void add_dev_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("dev", "Start a local development system (chain; more to come)");
  auto options = std::make_shared<DevOptions>();
  cmd->add_option("--data-dir", options->data_dir, "Where the chain state and logs live")
      ->capture_default_str();
  cmd->add_option("--chain-port", options->chain_port, "The chain's JSON-RPC port on 127.0.0.1")
      ->capture_default_str();
  cmd->add_option("--chain-id", options->chain_id, "The development chain's id")
      ->capture_default_str();
  cmd->add_option("--anvil", options->anvil, "The anvil executable")->capture_default_str();
  on_run(cmd, [options]() { return run_dev(*options); });
}

const bool kRegistered = register_top_level_group(&add_dev_command);

}  // namespace
}  // namespace medchain::cli
