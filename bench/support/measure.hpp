// What the benchmark programs measure about processes and runs: a process's CPU time and
// memory from /proc, and the median of repeated runs (the machines are noisy: medians, not means).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace medchain::bench {

// utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat), in seconds.
inline double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // from field 3, after "(comm) "
  std::string skip;
  double utime = 0, stime = 0;
  for (int i = 3; i < 14; ++i) fields >> skip;
  fields >> utime >> stime;
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// A line of /proc/<pid>/status ("VmRSS", "VmHWM"), in MiB.
inline double status_mib(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1)) / 1024;
  }
  throw std::runtime_error("no " + key + " for process " + std::to_string(pid));
}

// The middle value (the upper one of an even count). REQUIRES: values is not empty.
inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace medchain::bench
