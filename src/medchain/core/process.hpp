// Child processes that outlive a function call: development chains, nodes started by
// `medchain dev` and by integration tests. POSIX only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <medchain/core/result.hpp>
#include <string>
#include <vector>

namespace medchain {

class ChildProcess {
 public:
  ChildProcess() = default;
  // Stops the child (see stop()) if it is still running.
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts argv[0] (a path) with stdin from /dev/null and stdout + stderr appended to
  // `log_file` (or discarded when empty). kIo if it cannot be started.
  static Result<ChildProcess> spawn(const std::vector<std::string>& argv,
                                    const std::filesystem::path& log_file = {});

  bool running();
  pid_t pid() const noexcept { return pid_; }

  // Sends SIGTERM, waits up to `grace` for the child to exit, then SIGKILLs it. Returns the
  // exit status (or 128 + signal). Idempotent.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // Sends SIGKILL and reaps the child: for tests that simulate a crash.
  void kill_hard();

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  int exit_status_ = -1;
};

// For programs that run until Ctrl-C: block SIGINT and SIGTERM in this thread and every thread
// it starts afterwards (call it first), then take them synchronously with wait_for_stop_signal,
// so neither interrupts a system call half-way. Children started by ChildProcess get the
// default handlers back.
void block_stop_signals();
int wait_for_stop_signal();  // returns the signal received

// A TCP port on 127.0.0.1 that was free a moment ago: a random one below the kernel's ephemeral
// range (which outgoing connections draw from) that binds, else whatever port 0 gives.
Result<std::uint16_t> pick_free_loopback_port();

}  // namespace medchain
