// The indexer on anvil: catch-up throughput into SQLite and PostgreSQL (both durable: SQLite
// synchronous=FULL, PostgreSQL with fsync), and the latency from a block to the subscriber's
// notification, over a WebSocket subscription and by polling. Goals (issue 5): >= 20,000
// events/s into SQLite; p50 <= 20 ms.
//
//   build/release/bench/medchain_index_bench [--events N] [--repeats R] [--blocks B]
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/store/index_store.hpp>
#include <mutex>
#include <thread>

#include "support/bench_main.hpp"
#include "support/ledger.hpp"
#include "support/measure.hpp"
#include "support/postgres.hpp"

namespace medchain::test {
namespace {

using bench::median;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Settings {
  int events = 50'000;
  int repeats = 3;
  int blocks = 100;  // latency samples
};

constexpr int kPerBatch = 100;  // Relayer::kMaxBatch

// A scratch directory under the current one (the disk the node would use), removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::current_path() /
           ("medchain-index-bench-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

chain::SignedIntent registration(Ledger& ledger, std::uint64_t deadline) {
  const crypto::PrivateKey key = crypto::generate_private_key();
  const json message{{"patient", eth::to_checksum(crypto::address_of(key))},
                     {"encryptionKey", to_hex(random_hash())},
                     {"nonce", "0"},
                     {"deadline", std::to_string(deadline)}};
  return chain::sign_intent(ledger.medchain().abi(), ledger.domain(), "registerPatientBySig",
                            message, key)
      .value();
}

// `events` registrations in batches of kPerBatch, from 8 submitters at once.
void generate(Ledger& ledger, int events) {
  const std::uint64_t deadline = ledger.client().latest_block().value()->timestamp + 7'200;
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      while (next.fetch_add(kPerBatch) < events) {
        std::vector<chain::SignedIntent> batch;
        for (int i = 0; i < kPerBatch; ++i) batch.push_back(registration(ledger, deadline));
        auto relayed = ledger.relayer().relay_batch(batch);
        if (!relayed.ok()) {
          std::fprintf(stderr, "relay_batch: %s\n", relayed.error().message.c_str());
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (failures > 0) throw std::runtime_error("generating events failed");
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

// Seconds to index the whole chain into a fresh database.
double catch_up(Ledger& ledger, store::Database& database) {
  auto index = store::IndexStore::open(database).value();
  chain::IndexerOptions options;
  options.start_block = ledger.deployment().block;
  chain::Indexer indexer(ledger.client(), ledger.medchain(), *index, options);
  const auto start = Clock::now();
  if (!indexer.sync().ok()) throw std::runtime_error("sync failed");
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Milliseconds from the moment a block can be read over RPC to the indexer's notification of
// it. anvil mines after eth_sendRawTransaction returns, taking longer as its state grows, so the
// reference is a separate client polling eth_blockNumber back to back (within ~0.5 ms).
std::vector<double> latencies(Ledger& ledger, bool websocket, std::chrono::milliseconds poll,
                              int samples) {
  TempDir dir;
  auto database = store::open_sqlite(dir.path / "latency.db").value();
  auto index = store::IndexStore::open(*database).value();
  chain::IndexerOptions options;
  options.start_block = ledger.client().block_number().value();
  options.heads.use_websocket = websocket;
  options.heads.poll_interval = poll;
  chain::Indexer indexer(ledger.client(), ledger.medchain(), *index, options);
  std::mutex mutex;
  std::condition_variable notified;
  std::map<std::uint64_t, Clock::time_point> seen;     // by the indexer's subscriber
  std::map<std::uint64_t, Clock::time_point> visible;  // by the reference poller
  indexer.subscribe([&](const chain::IndexedBlock& block) {
    std::lock_guard lock(mutex);
    seen.emplace(block.number, Clock::now());
    notified.notify_all();
  });
  std::atomic<bool> stop{false};
  std::thread runner([&] { (void)indexer.run(stop); });
  std::thread reference([&] {
    chain::EthClient client(chain::HttpEndpoint::parse(ledger.dev_chain().url()).value());
    while (!stop) {
      auto number = client.block_number();
      if (!number.ok()) continue;
      std::lock_guard lock(mutex);
      visible.emplace(*number, Clock::now());
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // subscribed and caught up
  const std::uint64_t deadline = ledger.client().latest_block().value()->timestamp + 7'200;
  std::vector<double> result;
  for (int i = 0; i < samples; ++i) {
    const chain::SignedIntent intent = registration(ledger, deadline);
    const std::uint64_t block =
        ledger.admin()
            .sender->send({ledger.deployment().address, intent.calldata, 0, std::nullopt})
            .value()
            .block_number;
    std::unique_lock lock(mutex);
    notified.wait_for(lock, std::chrono::seconds(5), [&] { return seen.count(block) != 0; });
    if (seen.count(block) == 0 || visible.count(block) == 0) {
      throw std::runtime_error("block " + std::to_string(block) + " was not seen");
    }
    result.push_back(
        std::chrono::duration<double, std::milli>(seen[block] - visible[block]).count());
    lock.unlock();
    // Blocks come at random phases of a polling interval, as they would in use.
    std::this_thread::sleep_for(std::chrono::microseconds(Clock::now().time_since_epoch().count() %
                                                          (poll.count() * 1000 + 1)));
  }
  stop = true;
  runner.join();
  reference.join();
  return result;
}

int main_with(const Settings& settings) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  const auto generating = Clock::now();
  generate(ledger, settings.events);
  std::fprintf(stderr, "generated %d events in %.1f s\n", settings.events,
               std::chrono::duration<double>(Clock::now() - generating).count());

  TempPostgres postgres(/*durable=*/true);
  std::vector<double> sqlite_rates;
  std::vector<double> postgres_rates;
  for (int r = 0; r < settings.repeats; ++r) {
    TempDir dir;
    auto sqlite = store::open_sqlite(dir.path / "index.db").value();
    sqlite_rates.push_back(settings.events / catch_up(ledger, *sqlite));
    auto pg = store::open_postgres(postgres.create_database()).value();
    postgres_rates.push_back(settings.events / catch_up(ledger, *pg));
  }
  std::printf("| catch-up of %d events (%d per block) | events/s (median of %d) |\n",
              settings.events, kPerBatch, settings.repeats);
  std::printf("|---|---|\n");
  std::printf("| SQLite (WAL, synchronous=FULL) | %.0f |\n", median(sqlite_rates));
  std::printf("| PostgreSQL 15 (fsync on, loopback) | %.0f |\n\n", median(postgres_rates));

  std::printf("| block → subscriber notification, %d blocks | p50 | p90 | max |\n",
              settings.blocks);
  std::printf("|---|---|---|---|\n");
  struct Mode {
    const char* name;
    bool websocket;
    std::chrono::milliseconds poll;
  };
  for (const Mode& mode : {Mode{"WebSocket newHeads", true, std::chrono::milliseconds(100)},
                           Mode{"polling every 100 ms", false, std::chrono::milliseconds(100)},
                           Mode{"polling every 10 ms", false, std::chrono::milliseconds(10)}}) {
    const auto samples = latencies(ledger, mode.websocket, mode.poll, settings.blocks);
    std::printf("| %s | %.1f ms | %.1f ms | %.1f ms |\n", mode.name, percentile(samples, 0.5),
                percentile(samples, 0.9), *std::max_element(samples.begin(), samples.end()));
  }
  return 0;
}

}  // namespace
}  // namespace medchain::test

int main(int argc, char** argv) {
  medchain::test::Settings settings;
  return medchain::bench::run_main(
      "medchain_index_bench", argc, argv,
      {{"--events", &settings.events},
       {"--repeats", &settings.repeats},
       {"--blocks", &settings.blocks}},
      [&] { return settings.events >= 200 && settings.repeats >= 1 && settings.blocks >= 1; },
      "--events >= 200, --repeats >= 1, --blocks >= 1",
      [&] { return medchain::test::main_with(settings); });
}
