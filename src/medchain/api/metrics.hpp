// The node's Prometheus metrics (GET /metrics, text exposition format 0.0.4): requests and
// their latency per route and status, plus gauges read when scraped. Routes are labelled by
// their template (/v1/blobs/{digest}), never by the raw path, so the series stay few.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace medchain::api {

class Metrics {
 public:
  // Counts one request of `route` ("GET /v1/me") answered with `status` after `seconds`.
  void observe(const std::string& route, int status, double seconds);

  // A gauge computed at each scrape; a gauge whose function throws or fails is left out.
  using Gauge = std::function<std::optional<double>()>;
  void add_gauge(std::string name, std::string help, Gauge gauge);

  std::string render() const;

  static constexpr std::array<double, 9> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                     0.025,  0.1,   0.5,    2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};  // cumulative on render
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  struct NamedGauge {
    std::string name;
    std::string help;
    Gauge gauge;
  };
  std::vector<NamedGauge> gauges_;
};

}  // namespace medchain::api
