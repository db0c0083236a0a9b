// kill -9 the indexer (`medchain index sync`) at 20 random points while it catches up on 5,000
// events. After every kill the partial index equals a fresh index up to its checkpoint, and
// after the restart completes it equals a fresh re-index: no duplicate, no missing row. On
// SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/store/index_store.hpp>
#include <random>
#include <thread>

#include "support/ledger.hpp"
#include "support/process.hpp"
#include "support/stores.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kEvents = 5'000;
constexpr int kPerBatch = 100;
constexpr int kKills = 20;

// kEvents patient registrations, kPerBatch per relayBatch transaction (so per block).
void register_patients(Ledger& ledger) {
  const std::uint64_t deadline = ledger.client().latest_block().value()->timestamp + 3'600;
  for (int batch = 0; batch < kEvents / kPerBatch; ++batch) {
    std::vector<chain::SignedIntent> intents;
    for (int i = 0; i < kPerBatch; ++i) {
      const crypto::PrivateKey key = crypto::generate_private_key();
      const json message{{"patient", eth::to_checksum(crypto::address_of(key))},
                         {"encryptionKey", to_hex(random_hash())},
                         {"nonce", "0"},
                         {"deadline", std::to_string(deadline)}};
      intents.push_back(chain::sign_intent(ledger.medchain().abi(), ledger.domain(),
                                           "registerPatientBySig", message, key)
                            .value());
    }
    ASSERT_TRUE(ledger.relayer().relay_batch(intents).ok());
  }
}

class IndexCrashTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    register_patients(ledger_);
    data_dir_ = fs::temp_directory_path() / ("medchain-crash-" + to_hex(random_hash()));
    fs::create_directories(data_dir_);
    ASSERT_TRUE(chain::write_deployment(data_dir_, ledger_.deployment()).ok());
  }
  void TearDown() override { fs::remove_all(data_dir_); }

  std::vector<std::string> sync_argv(const std::string& database) {
    // One block per range: a checkpoint every 100 events, so kills land between many commits.
    return {MEDCHAIN_CLI_PATH,
            "index",
            "sync",
            "--rpc-url",
            ledger_.dev_chain().url(),
            "--data-dir",
            data_dir_.string(),
            "--database",
            database,
            "--max-range",
            "1"};
  }

  // An index built in-process without interruption, up to `stop` (or the head).
  std::string reference(std::optional<std::uint64_t> stop) {
    TestDatabase database(GetParam());
    auto index = store::IndexStore::open(database.database()).value();
    chain::IndexerOptions options;
    options.start_block = ledger_.deployment().block;
    options.stop_block = stop;
    chain::Indexer indexer(ledger_.client(), ledger_.medchain(), *index, options);
    EXPECT_TRUE(indexer.sync().ok());
    return index->dump().value();
  }

  Ledger ledger_{chain::DevChainKind::kAnvil};
  fs::path data_dir_;
};

TEST_P(IndexCrashTest, KilledAnywhereItResumesToTheSameIndex) {
  const std::string complete = reference(std::nullopt);
  ASSERT_NE(complete.find(std::to_string(kEvents - 1)), std::string::npos);

  // How long an uninterrupted catch-up takes, process start included: kills land within it.
  TestDatabase timing(GetParam());
  const auto started = Clock::now();
  const ProcessResult timed = run_process(sync_argv(timing.location()), std::chrono::seconds(120));
  ASSERT_EQ(timed.exit_code, 0) << timed.err;
  const auto catch_up =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);

  std::mt19937_64 random(0x6d656463);
  int killed_mid_way = 0;
  for (int round = 0; round < kKills; ++round) {
    TestDatabase database(GetParam());
    ChildProcess indexer = ChildProcess::spawn(sync_argv(database.location())).value();
    std::this_thread::sleep_for(std::chrono::microseconds(random() % catch_up.count()));
    indexer.kill_hard();

    database.reopen();
    database.wait_until_idle();
    auto index = store::IndexStore::open(database.database()).value();
    const auto checkpoint = index->checkpoint().value();
    if (checkpoint) {
      EXPECT_EQ(index->dump().value(), reference(checkpoint->number)) << "round " << round;
      if (index->event_count().value() < static_cast<std::uint64_t>(kEvents)) ++killed_mid_way;
    }
    const ProcessResult resumed =
        run_process(sync_argv(database.location()), std::chrono::seconds(120));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    database.reopen();
    index = store::IndexStore::open(database.database()).value();
    EXPECT_EQ(index->dump().value(), complete) << "round " << round;
  }
  // The kills did interrupt catch-ups, not only empty or finished ones.
  EXPECT_GE(killed_mid_way, kKills / 4);
}

TEST_P(IndexCrashTest, VerifyFindsNoDifferenceAfterResumingAndReportsTampering) {
  TestDatabase database(GetParam());
  ChildProcess indexer = ChildProcess::spawn(sync_argv(database.location())).value();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  indexer.kill_hard();
  ASSERT_EQ(run_process(sync_argv(database.location()), std::chrono::seconds(120)).exit_code, 0);

  const std::vector<std::string> verify{
      MEDCHAIN_CLI_PATH,         "index",      "verify",           "--rpc-url",
      ledger_.dev_chain().url(), "--data-dir", data_dir_.string(), "--database",
      database.location()};
  const ProcessResult clean = run_process(verify, std::chrono::seconds(120));
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("matches"), std::string::npos) << clean.out;

  ASSERT_TRUE(database.database()
                  .execute("UPDATE patients SET encryption_key = '0x00' WHERE address = "
                           "(SELECT MIN(address) FROM patients)")
                  .ok());
  const ProcessResult tampered = run_process(verify, std::chrono::seconds(120));
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_NE(tampered.out.find("- only in the index:   patients|"), std::string::npos)
      << tampered.out;
  EXPECT_NE(tampered.out.find("+ only in the rebuild: patients|"), std::string::npos);
  EXPECT_NE(tampered.err.find("differs"), std::string::npos) << tampered.err;
}

INSTANTIATE_TEST_SUITE_P(Stores, IndexCrashTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& param_info) { return store_name(param_info.param); });

}  // namespace
}  // namespace medchain::test
