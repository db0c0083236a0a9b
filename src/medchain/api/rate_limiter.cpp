#include <algorithm>
#include <medchain/api/rate_limiter.hpp>

namespace medchain::api {

namespace {
constexpr auto kQuiet = std::chrono::seconds(60);
}  // namespace

bool RateLimiter::allow(const std::string& key) {
  if (rate_ <= 0) return true;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  forget_quiet(now);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.refilled = now;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

void RateLimiter::forget_quiet(std::chrono::steady_clock::time_point now) {
  if (now - last_sweep_ < kQuiet) return;
  last_sweep_ = now;
  std::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.refilled > kQuiet; });
}

}  // namespace medchain::api
