// Running a child process from a test: argv in, exit status and stdout out, with a deadline.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace medchain::test {

struct ProcessResult {
  int exit_code = -1;      // the child's exit status, or 128 + signal if it was killed
  bool timed_out = false;  // the deadline passed and the child was killed
  std::string out;         // everything it wrote to stdout
  std::string err;         // everything it wrote to stderr
};

// Runs argv[0] (a path) with stdin from /dev/null. Kills the child after `deadline`.
ProcessResult run_process(const std::vector<std::string>& argv,
                          std::chrono::milliseconds deadline = std::chrono::seconds(30));

}  // namespace medchain::test
