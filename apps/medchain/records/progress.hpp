// A transfer's progress bar on stderr, for transfers over 1 MiB (docs/cli.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace medchain::cli::records {

class ProgressBar {
 public:
  // Draws nothing unless `enabled` and the total is over 1 MiB.
  ProgressBar(std::string label, std::uint64_t total, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::uint64_t done);

 private:
  void draw(std::uint64_t done);

  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

// Whether stderr is a terminal, the default for showing progress.
bool stderr_is_terminal();

}  // namespace medchain::cli::records
