#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <medchain/core/process.hpp>
#include <mutex>
#include <random>
#include <thread>

extern char** environ;

namespace medchain {
namespace {

int decode_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ChildProcess::~ChildProcess() {
  stop();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), exit_status_(other.exit_status_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
    exit_status_ = other.exit_status_;
  }
  return *this;
}

Result<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv,
                                         const std::filesystem::path& log_file) {
  if (argv.empty()) return Error{Errc::kInvalidArgument, "no program to start"};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const std::string log = log_file.empty() ? "/dev/null" : log_file.string();
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // Its own process group, so a Ctrl-C in the terminal reaches the parent first and the
  // parent shuts children down in order.
  // It starts with no signal blocked and the default handlers, whatever the parent did with
  // its own (medchain dev blocks SIGINT and SIGTERM to wait for them): otherwise the child
  // would ignore stop() until the SIGKILL.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) return Error{Errc::kIo, "cannot start " + argv[0] + ": " + std::strerror(rc)};
  return ChildProcess(pid);
}

bool ChildProcess::running() {
  if (pid_ < 0) return false;
  int status = 0;
  const pid_t reaped = waitpid(pid_, &status, WNOHANG);
  if (reaped == pid_) {
    exit_status_ = decode_status(status);
    pid_ = -1;
    return false;
  }
  return reaped == 0;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!running()) return exit_status_;
  kill(pid_, SIGTERM);
  const auto give_up = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < give_up) {
    if (!running()) return exit_status_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_hard();
  return exit_status_;
}

void ChildProcess::kill_hard() {
  if (pid_ < 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_status_ = decode_status(status);
  pid_ = -1;
}

namespace {
sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}
}  // namespace

void block_stop_signals() {
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int wait_for_stop_signal() {
  const sigset_t signals = stop_signals();
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

namespace {

// Binds a socket to 127.0.0.1:`port` (0: any) and returns the port bound, then closes it.
Result<std::uint16_t> bind_loopback(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{Errc::kIo, std::string("socket: ") + std::strerror(errno)};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int saved = errno;
    close(fd);
    return Error{Errc::kIo, std::string("cannot find a free port: ") + std::strerror(saved)};
  }
  close(fd);
  return static_cast<std::uint16_t>(ntohs(address.sin_port));
}

// The first port of the kernel's ephemeral range, from which it also takes the source ports
// of outgoing connections.
std::uint16_t first_ephemeral_port() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned first = 0;
  if (range >> first && first > 11'000 && first <= 65'535) return static_cast<std::uint16_t>(first);
  return 32'768;
}

}  // namespace

Result<std::uint16_t> pick_free_loopback_port() {
  // A port below the ephemeral range: a port the kernel hands out for port 0 may become, before
  // the caller binds it, the source port of some client's connection (tests make thousands).
  static std::mutex mutex;
  static std::mt19937 random{std::random_device{}()};
  const std::uint16_t end = first_ephemeral_port();
  for (int attempt = 0; attempt < 64; ++attempt) {
    std::uint16_t candidate = 0;
    {
      const std::lock_guard<std::mutex> lock(mutex);
      candidate = static_cast<std::uint16_t>(
          std::uniform_int_distribution<unsigned>(10'000, end - 1u)(random));
    }
    if (auto bound = bind_loopback(candidate); bound.ok()) return *bound;
  }
  return bind_loopback(0);
}

}  // namespace medchain
