// A read that a node must first fetch from a peer (medchaind --peer-fetch, issue 17) against a
// local read of the same blob: two medchaind on one anvil, the home node without peer fetch and
// the reader with it. Each round a 1 MiB blob is uploaded to the home node and recorded on chain
// as homed there; once the reader has indexed it (its /metrics, so that no read starts the fetch
// early), the patient reads the blob from the home node (local) and from the reader (which pulls
// the version from the home node, checks it against the chain, stores it and serves it), in
// alternating order. Medians of --reads rounds, and the median of the per-round ratios.
// Usage: medchain_peer_fetch_bench [--reads 30]
#include <chrono>
#include <cstdio>
#include <medchain/core/hex.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/bench_main.hpp"
#include "support/federation.hpp"
#include "support/measure.hpp"

namespace medchain::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// The time of one whole read of `digest` through `node`; throws unless it is the content.
double timed_read(test::Node& node, const std::string& token, const Hash32& digest,
                  const std::string& content) {
  const auto started = Clock::now();
  const test::Reply read = node.get("/v1/blobs/" + to_hex(digest), token);
  const double took = ms(Clock::now() - started);
  if (read.status != 200 || read.response.body != content) {
    throw std::runtime_error("GET /v1/blobs answered " + std::to_string(read.status));
  }
  return took;
}

int run(int reads) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  test::Ledger ledger(chain::DevChainKind::kAnvil);
  Federation federation{ledger, ledger.registered_patient(/*funded=*/false)};
  const std::vector<std::string> unlimited{"--rate-limit-ip",     "0", "--rate-limit-address", "0",
                                           "--relay-rate-signer", "0"};
  std::vector<std::string> fetching = unlimited;
  fetching.push_back("--peer-fetch");
  test::Node home(ledger, unlimited);
  test::Node reader(ledger, fetching);
  const std::string home_token = home.token_for(federation.patient);
  const std::string reader_token = reader.token_for(federation.patient);

  std::string content(1 << 20, '\0');
  std::vector<double> local, fetched, ratios;
  for (int i = 0; i < reads; ++i) {
    for (std::size_t b = 0; b < content.size(); b += 8) content[b] = static_cast<char>(i * 37 + b);
    const Hash32 record_id = federation.add(home, home_token, content);
    const std::uint64_t block =
        home.get("/v1/records/" + to_hex(record_id), home_token).body["versions"][0]["blockNumber"];
    const auto give_up = Clock::now() + 30s;
    while (reader.indexed_block() < block) {
      if (Clock::now() > give_up) throw std::runtime_error("the reader never indexed a version");
      std::this_thread::sleep_for(2ms);
    }
    const Hash32 digest = test::sha256_of(content);
    double here = 0, there = 0;
    if (i % 2 == 0) {
      here = timed_read(home, home_token, digest, content);
      there = timed_read(reader, reader_token, digest, content);
    } else {
      there = timed_read(reader, reader_token, digest, content);
      here = timed_read(home, home_token, digest, content);
    }
    local.push_back(here);
    fetched.push_back(there);
    ratios.push_back(there / here);
  }
  std::printf(
      "1 MiB read, %d rounds: local p50 %.1f ms; fetched from a peer first p50 %.1f ms; "
      "ratio p50 %.2fx (goal <= 2x)\n",
      reads, median(local), median(fetched), median(ratios));
  return 0;
}

}  // namespace
}  // namespace medchain::bench

int main(int argc, char** argv) {
  int reads = 30;
  return medchain::bench::run_main(
      "medchain_peer_fetch_bench", argc, argv, {{"--reads", &reads}}, [&] { return reads > 0; },
      "usage: [--reads N>0]", [&] { return medchain::bench::run(reads); });
}
