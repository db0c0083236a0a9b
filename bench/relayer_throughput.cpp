// Relayed signed grants per second on anvil (automine), from one relayer account: 1 and 16
// concurrent submitters, one intent per transaction and 20 per relayBatch, beside `cast send`
// of the same calldata in a loop. Each scenario runs `--repeats` times, each time on a fresh
// anvil; the table shows medians. Goal (issue 4): >= 300 relayed intents/s on a 2-core machine.
//
//   build/release/bench/medchain_relayer_bench [--intents N] [--repeats R] [--cast-sends M]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <string>
#include <thread>

#include "support/bench_main.hpp"
#include "support/ledger.hpp"
#include "support/measure.hpp"
#include "support/process.hpp"

namespace medchain::test {
namespace {

using bench::median;

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Settings {
  int intents = 640;  // per run; divisible by 16 × 20
  int repeats = 3;
  int cast_sends = 60;
};

struct RunResult {
  double per_second = 0;
  int failures = 0;
};

// `count` grant intents by each of `patients`, signed ahead with consecutive nonces; a stream
// per patient, to be submitted in order.
std::vector<std::vector<chain::SignedIntent>> sign_grants(Ledger& ledger,
                                                          std::vector<Party>& patients,
                                                          const Party& doctor, int count) {
  std::vector<std::vector<chain::SignedIntent>> streams(patients.size());
  const std::uint64_t expiry = ledger.client().latest_block().value()->timestamp + 86'400;
  for (std::size_t p = 0; p < patients.size(); ++p) {
    for (int i = 0; i < count; ++i) {
      const json message{{"patient", eth::to_checksum(patients[p].address)},
                         {"doctor", eth::to_checksum(doctor.address)},
                         {"scope", 1 + (i % 4000)},
                         {"permissions", 1},
                         {"expiry", expiry + static_cast<std::uint64_t>(i)}};
      streams[p].push_back(
          ledger.intent(patients[p], "grantAccessBySig", message, static_cast<std::uint64_t>(i)));
    }
  }
  return streams;
}

RunResult relay_streams(Ledger& ledger,
                        const std::vector<std::vector<chain::SignedIntent>>& streams,
                        std::size_t batch) {
  std::atomic<int> failures{0};
  int total = 0;
  for (const auto& stream : streams) total += static_cast<int>(stream.size());
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (const auto& stream : streams) {
    threads.emplace_back([&, batch] {
      for (std::size_t i = 0; i < stream.size(); i += batch) {
        if (batch == 1) {
          if (!ledger.relayer().relay(stream[i]).ok()) ++failures;
          continue;
        }
        const std::vector<chain::SignedIntent> chunk(
            stream.begin() + static_cast<std::ptrdiff_t>(i),
            stream.begin() + static_cast<std::ptrdiff_t>(std::min(stream.size(), i + batch)));
        auto outcome = ledger.relayer().relay_batch(chunk);
        if (!outcome.ok()) {
          failures += static_cast<int>(chunk.size());
          continue;
        }
        for (const auto& entry : outcome->entries) failures += entry.has_value() ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return {total / seconds, failures.load()};
}

RunResult run_scenario(int submitters, std::size_t batch, int intents) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  Party registrar = ledger.registrar();
  Party doctor = ledger.verified_doctor(registrar);
  std::vector<Party> patients;
  for (int i = 0; i < submitters; ++i) patients.push_back(ledger.registered_patient(false));
  const auto streams = sign_grants(ledger, patients, doctor, intents / submitters);
  return relay_streams(ledger, streams, batch);
}

// `cast send` of signed-grant calldata, one process per transaction, waiting for each receipt.
RunResult run_cast(int sends) {
  Ledger ledger(chain::DevChainKind::kAnvil);
  Party registrar = ledger.registrar();
  Party doctor = ledger.verified_doctor(registrar);
  std::vector<Party> patients;
  patients.push_back(ledger.registered_patient(false));
  const auto streams = sign_grants(ledger, patients, doctor, sends);
  Party relayer = ledger.party();
  const std::string cast = std::string(MEDCHAIN_SOURCE_DIR) + "/node_modules/.bin/cast";
  int failures = 0;
  const auto start = Clock::now();
  for (const chain::SignedIntent& intent : streams[0]) {
    const ProcessResult result = run_process(
        {cast, "send", "--rpc-url", ledger.dev_chain().url(), "--private-key", to_hex(relayer.key),
         eth::to_checksum(ledger.deployment().address), "--data", to_hex(intent.calldata)});
    if (result.exit_code != 0) ++failures;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return {sends / seconds, failures};
}

// Every run starts a fresh anvil, so no scenario inherits a longer chain from another.
int main_with(const Settings& settings) {
  struct Scenario {
    const char* name;
    int submitters;
    std::size_t batch;
  };
  const Scenario scenarios[] = {{"medchain relayer, 1 submitter, single", 1, 1},
                                {"medchain relayer, 16 submitters, single", 16, 1},
                                {"medchain relayer, 1 submitter, batches of 20", 1, 20},
                                {"medchain relayer, 16 submitters, batches of 20", 16, 20}};
  std::printf("| scenario | intents/s (median of %d) | runs | failed intents |\n",
              settings.repeats);
  std::printf("|---|---|---|---|\n");
  for (const Scenario& scenario : scenarios) {
    std::vector<double> rates;
    int failures = 0;
    for (int r = 0; r < settings.repeats; ++r) {
      const RunResult result = run_scenario(scenario.submitters, scenario.batch, settings.intents);
      rates.push_back(result.per_second);
      failures += result.failures;
    }
    std::printf("| %s | %.0f | %d × %d | %d |\n", scenario.name, median(rates), settings.repeats,
                settings.intents, failures);
    std::fflush(stdout);
  }
  std::vector<double> cast_rates;
  int cast_failures = 0;
  for (int r = 0; r < settings.repeats; ++r) {
    const RunResult result = run_cast(settings.cast_sends);
    cast_rates.push_back(result.per_second);
    cast_failures += result.failures;
  }
  std::printf("| cast send in a loop, 1 process per intent | %.0f | %d × %d | %d |\n",
              median(cast_rates), settings.repeats, settings.cast_sends, cast_failures);
  return 0;
}

}  // namespace
}  // namespace medchain::test

int main(int argc, char** argv) {
  medchain::test::Settings settings;
  return medchain::bench::run_main(
      "medchain_relayer_bench", argc, argv,
      {{"--intents", &settings.intents},
       {"--repeats", &settings.repeats},
       {"--cast-sends", &settings.cast_sends}},
      [&] {
        return settings.intents > 0 && settings.intents % 320 == 0 && settings.repeats > 0 &&
               settings.cast_sends > 0;
      },
      "--intents must be a positive multiple of 320; --repeats and --cast-sends positive",
      [&] { return medchain::test::main_with(settings); });
}
