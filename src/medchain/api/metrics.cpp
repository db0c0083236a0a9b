#include <medchain/api/metrics.hpp>
#include <optional>
#include <sstream>

namespace medchain::api {

void Metrics::observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  Histogram& histogram = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++histogram.counts[i];
      break;
    }
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, Gauge gauge) {
  std::lock_guard lock(mutex_);
  gauges_.push_back({std::move(name), std::move(help), std::move(gauge)});
}

std::string Metrics::render() const {
  std::ostringstream out;
  std::vector<NamedGauge> gauges;
  {
    std::lock_guard lock(mutex_);
    out << "# HELP medchaind_http_requests_total HTTP requests answered, by route and status.\n"
        << "# TYPE medchaind_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      out << "medchaind_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
          << "\"} " << count << "\n";
    }
    out << "# HELP medchaind_http_request_duration_seconds Time to answer (to the first byte of "
           "a streamed body), by route.\n"
        << "# TYPE medchaind_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += histogram.counts[i];
        out << "medchaind_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
            << kBuckets[i] << "\"} " << cumulative << "\n";
      }
      out << "medchaind_http_request_duration_seconds_bucket{route=\"" << route
          << "\",le=\"+Inf\"} " << histogram.count << "\n"
          << "medchaind_http_request_duration_seconds_sum{route=\"" << route << "\"} "
          << histogram.sum << "\n"
          << "medchaind_http_request_duration_seconds_count{route=\"" << route << "\"} "
          << histogram.count << "\n";
    }
    gauges = gauges_;
  }
  // Gauges may take locks of their own (the database): computed outside this one.
  for (const NamedGauge& gauge : gauges) {
    std::optional<double> value;
    try {
      value = gauge.gauge();
    } catch (const std::exception&) {
    }
    if (!value) continue;
    out << "# HELP " << gauge.name << " " << gauge.help << "\n"
        << "# TYPE " << gauge.name << " gauge\n"
        << gauge.name << " " << *value << "\n";
  }
  return out.str();
}

}  // namespace medchain::api
