// Replication among three medchaind on one anvil (issue 17), all with --replicate --replicas 3
// (every node keeps every version, so that both replicas are measured):
//  - lag: a 1 MiB blob uploaded to node 1 and recorded on chain as homed there (a relayed
//    addRecordBySig); the time from node 1 serving the version (it has indexed the transaction)
//    until node 2 and node 3 each serve it to the patient (GET /v1/records/<id> lists its size,
//    which a node knows only once it holds the blob), and from the relay's request. p50 and p90
//    over --uploads runs, both replicas counted.
//  - catch-up: node 2 and node 3 are stopped, --versions small versions are added through node 1,
//    both are started again; for each, the time from its start until its index holds a blob row
//    for every one. Both are down while the versions are added since a running replica would
//    walk the growing list at each block (no "versions since" cursor yet), which slows the adding
//    quadratically and is not what is measured.
//  - adding while up (--versions-up N): N small versions added through node 1 while nodes 2 and 3
//    run and replicate, and how long after the last both hold every one.
// Usage: medchain_replication_bench [--uploads 20] [--versions 10000] [--versions-up 0]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/records/category_statement.hpp>
#include <medchain/store/database.hpp>
#include <optional>
#include <thread>
#include <utility>

#include "support/bench_main.hpp"
#include "support/federation.hpp"
#include "support/node.hpp"

namespace medchain::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::Ledger;
using test::Node;
using test::Party;
using test::Reply;

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const std::size_t index =
      std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())));
  return values[index];
}

bool served(Node& node, const std::string& token, const Hash32& record_id) {
  const Reply record = node.get("/v1/records/" + to_hex(record_id), token);
  return record.status == 200 && record.body["versions"][0]["size"].is_number();
}

std::int64_t blob_rows(const std::filesystem::path& node_dir) {
  auto database = store::open_sqlite(node_dir / "index.db").value();
  const auto rows = database->query("SELECT COUNT(*) FROM blobs").value();
  return std::get<std::int64_t>(rows.at(0).at(0));
}

int run(int uploads, int versions, int versions_up) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each line as it comes, also into a file
  Ledger ledger(chain::DevChainKind::kAnvil);
  Federation federation{ledger, ledger.registered_patient(/*funded=*/false)};
  // No rate limits: the benchmark relays thousands of intents of one patient from one address.
  const std::vector<std::string> replicating{
      "--replicate", "--replicas",          "3", "--rate-limit-ip", "0", "--rate-limit-address",
      "0",           "--relay-rate-signer", "0"};
  Node first(ledger, replicating);
  Node second(ledger, replicating);
  Node third(ledger, replicating);
  const std::string token1 = first.token_for(federation.patient);
  const std::string token2 = second.token_for(federation.patient);
  const std::string token3 = third.token_for(federation.patient);

  std::string content(1 << 20, '\0');
  std::vector<double> lags, totals;
  for (int i = 0; i < uploads; ++i) {
    for (std::size_t b = 0; b < content.size(); b += 8) content[b] = static_cast<char>(i * 31 + b);
    const auto relaying = Clock::now();
    const Hash32 record_id = federation.add(first, token1, content);
    // All three are polled in turn; each one's time is when it first served the version.
    std::optional<Clock::time_point> at1, at2, at3;
    const auto give_up = Clock::now() + 60s;
    while (!at1 || !at2 || !at3) {
      if (!at1 && served(first, token1, record_id)) at1 = Clock::now();
      if (!at2 && served(second, token2, record_id)) at2 = Clock::now();
      if (!at3 && served(third, token3, record_id)) at3 = Clock::now();
      if (Clock::now() > give_up) throw std::runtime_error("a replica never appeared");
      std::this_thread::sleep_for(1ms);
    }
    for (const auto& at : {*at2, *at3}) {
      lags.push_back(std::max(0.0, ms(at - *at1)));
      totals.push_back(ms(at - relaying));
    }
  }
  std::printf(
      "replication lag, 1 MiB, %d uploads x 2 replicas, from the home node serving the version "
      "(its transaction indexed) to a replica serving it: p50 %.1f ms, p90 %.1f ms, max %.1f ms\n",
      uploads, percentile(lags, 0.5), percentile(lags, 0.9), percentile(lags, 1.0));
  std::printf(
      "  from the relay's request (mining and indexing included): p50 %.1f ms, p90 %.1f ms\n",
      percentile(totals, 0.5), percentile(totals, 0.9));

  if (versions_up > 0) {
    // Versions added while both replicas run: each new block wakes their replicators, whose
    // work per pass is what this measures (it must not grow with the index).
    const std::int64_t before2 = blob_rows(second.dir());
    const std::int64_t before3 = blob_rows(third.dir());
    const auto adding = Clock::now();
    for (int i = 0; i < versions_up; ++i) {
      federation.add(first, token1, "small version " + std::to_string(i) + " added while up");
    }
    const double added_s = ms(Clock::now() - adding) / 1000;
    const auto until_replicated = Clock::now();
    while (blob_rows(second.dir()) < before2 + versions_up ||
           blob_rows(third.dir()) < before3 + versions_up) {
      if (Clock::now() - until_replicated > 30min) throw std::runtime_error("never replicated");
      std::this_thread::sleep_for(100ms);
    }
    std::printf(
        "added %d small versions through node 1 with nodes 2 and 3 replicating: %.1f s (%.1f/s); "
        "both replicas held every one %.1f s after the last was added\n",
        versions_up, added_s, versions_up / added_s, ms(Clock::now() - until_replicated) / 1000);
  }

  if (versions > 0) {
    second.crash();
    third.crash();
    const std::int64_t before2 = blob_rows(second.dir());
    const std::int64_t before3 = blob_rows(third.dir());
    const auto adding = Clock::now();
    for (int i = 0; i < versions; ++i) {
      federation.add(first, token1, "small version " + std::to_string(i) + " of the outage");
    }
    std::printf("added %d small versions through node 1 while nodes 2 and 3 were down: %.1f s\n",
                versions, ms(Clock::now() - adding) / 1000);
    const auto restarting = Clock::now();
    second.start_again();
    third.start_again();
    const auto started = Clock::now();
    std::optional<Clock::time_point> done2, done3;
    while (!done2 || !done3) {
      if (Clock::now() - started > 30min) throw std::runtime_error("catch-up did not finish");
      if (!done2 && blob_rows(second.dir()) >= before2 + versions) done2 = Clock::now();
      if (!done3 && blob_rows(third.dir()) >= before3 + versions) done3 = Clock::now();
      std::this_thread::sleep_for(100ms);
    }
    for (const auto& [name, done] : {std::pair{"node 2", *done2}, std::pair{"node 3", *done3}}) {
      std::printf(
          "catch-up of %d versions by %s, both catching up at once: %.1f s after both "
          "answered again (%.1f s after their start, which includes indexing the "
          "outage's blocks)\n",
          versions, name, ms(done - started) / 1000, ms(done - restarting) / 1000);
    }
  }
  return 0;
}

}  // namespace
}  // namespace medchain::bench

int main(int argc, char** argv) {
  int uploads = 20;
  int versions = 10'000;
  int versions_up = 0;
  return medchain::bench::run_main(
      "medchain_replication_bench", argc, argv,
      {{"--uploads", &uploads}, {"--versions", &versions}, {"--versions-up", &versions_up}},
      [&] { return uploads > 0 && versions >= 0 && versions_up >= 0; },
      "usage: [--uploads N>0] [--versions N>=0] [--versions-up N>=0]",
      [&] { return medchain::bench::run(uploads, versions, versions_up); });
}
