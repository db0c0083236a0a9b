// `medchain` as a child process for the benchmarks that time whole commands: its stdout and
// stderr kept, its wall time, CPU time and peak RSS (wait4). The including program defines
// MEDCHAIN_CLI_PATH (bench/CMakeLists.txt).
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/files.hpp"

namespace medchain::bench {

namespace fs = std::filesystem;

struct Run {
  int exit_code = -1;
  double seconds = 0;
  double cpu_seconds = 0;  // user + system
  double max_rss_mib = 0;  // the child's peak resident set (ru_maxrss)
  std::string out;
  std::string err;
};

// `medchain <args> --home HOME --node URL` as a child process, its stdout and stderr into
// files of `dir`, reaped with wait4 for its resource usage.
class Cli {
 public:
  Cli(fs::path dir, std::string home, std::string node_url)
      : dir_(std::move(dir)), home_(std::move(home)), node_url_(std::move(node_url)) {}

  // The keystore's password the children get (MEDCHAIN_PASSWORD).
  static constexpr const char* kPassword = "bench password";

  Run run(std::vector<std::string> args) const {
    std::vector<std::string> argv{MEDCHAIN_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string& option :
         {std::string("--home"), (dir_ / home_).string(), std::string("--node"), node_url_}) {
      argv.push_back(option);
    }
    std::vector<char*> pointers;
    for (std::string& arg : argv) pointers.push_back(arg.data());
    pointers.push_back(nullptr);
    const fs::path out = dir_ / "cli.out";
    const fs::path err = dir_ / "cli.err";
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::setenv("MEDCHAIN_PASSWORD", kPassword, 1);
      const int in = ::open("/dev/null", O_RDONLY);
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || o < 0 || e < 0) ::_exit(127);
      ::dup2(in, 0);
      ::dup2(o, 1);
      ::dup2(e, 2);
      ::execv(pointers[0], pointers.data());
      ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid) throw std::runtime_error("wait4 failed");
    Run result;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.max_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024;  // KiB on Linux
    result.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    result.out = test::read_file(out);
    result.err = test::read_file(err);
    return result;
  }

  // Like run, but throws unless the command succeeded.
  Run must(std::vector<std::string> args) const {
    Run result = run(args);
    if (result.exit_code != 0) {
      throw std::runtime_error("medchain " + args[0] + " " + (args.size() > 1 ? args[1] : "") +
                               " exited " + std::to_string(result.exit_code) + ": " + result.err);
    }
    return result;
  }

 private:
  fs::path dir_;
  std::string home_;
  std::string node_url_;
};

}  // namespace medchain::bench
