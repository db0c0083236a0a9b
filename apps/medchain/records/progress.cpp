#include <unistd.h>

#include <cstdio>
#include <records/progress.hpp>

namespace medchain::cli::records {
namespace {

constexpr std::uint64_t kMinimum = 1u << 20;
constexpr int kWidth = 30;
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

double mib(std::uint64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

}  // namespace

bool stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

ProgressBar::ProgressBar(std::string label, std::uint64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && total > kMinimum) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputc('\n', stderr);
}

void ProgressBar::update(std::uint64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_ < kRedrawEvery) return;
  last_ = now;
  draw(done);
}

void ProgressBar::draw(std::uint64_t done) {
  const double fraction =
      total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
  const int filled = static_cast<int>(fraction * kWidth);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? mib(done) / seconds : 0.0;
  std::fprintf(stderr, "\r%s [%s%s] %3d%% %.1f/%.1f MiB %.0f MiB/s", label_.c_str(),
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(kWidth - filled), ' ').c_str(),
               static_cast<int>(fraction * 100), mib(done), mib(total_), rate);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace medchain::cli::records
