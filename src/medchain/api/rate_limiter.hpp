// Request-rate limits per client key (an IP address, or a signed-in address): a token bucket
// each, refilled at `rate` per second up to `burst`. Thread-safe. Buckets of keys that have
// been quiet for a minute are forgotten, so memory stays bounded by the recent clients.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace medchain::api {

class RateLimiter {
 public:
  // `rate` 0 disables the limit.
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  // Takes one token for `key`: false when its bucket is empty (the request is refused).
  bool allow(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  void forget_quiet(std::chrono::steady_clock::time_point now);

  double rate_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::chrono::steady_clock::time_point last_sweep_{};
};

}  // namespace medchain::api
