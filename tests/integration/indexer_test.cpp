// The indexer against anvil: the access story indexed as the chain has it, reorgs of 1 to 5
// blocks leaving the index equal to a fresh re-index, and the real-time feed.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/eth/address.hpp>
#include <medchain/store/index_store.hpp>

#include "support/ledger.hpp"
#include "support/process.hpp"
#include "support/stores.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// An index on a fresh database of the test's kind.
struct TempIndex {
  TestDatabase database;
  std::unique_ptr<store::IndexStore> store;

  explicit TempIndex(StoreKind kind)
      : database(kind), store(store::IndexStore::open(database.database()).value()) {}
};

class IndexerTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  Ledger ledger{chain::DevChainKind::kAnvil};

  chain::IndexerOptions options() {
    chain::IndexerOptions result;
    result.start_block = ledger.deployment().block;
    result.max_range = 7;  // small, so the tests cross range boundaries
    return result;
  }

  // A fresh index of the whole chain, for comparison.
  std::string fresh_dump() {
    TempIndex fresh(GetParam());
    chain::Indexer indexer(ledger.client(), ledger.medchain(), *fresh.store, options());
    EXPECT_TRUE(indexer.sync().ok());
    return fresh.store->dump().value();
  }

  void grant(Party& patient, const Party& doctor, std::uint16_t scope) {
    const std::uint64_t now = ledger.client().latest_block().value()->timestamp;
    ledger.must_call(patient, "grantAccess",
                     {patient.address, doctor.address, word(scope), word(1), word(now + 86'400)});
  }
};

TEST_P(IndexerTest, IndexesWhatTheChainSays) {
  Party registrar = ledger.registrar();
  Party doctor = ledger.verified_doctor(registrar);
  Party patient = ledger.registered_patient();
  grant(patient, doctor, 0x6);

  TempIndex index(GetParam());
  chain::Indexer indexer(ledger.client(), ledger.medchain(), *index.store, options());
  std::vector<chain::IndexedBlock> published;
  indexer.subscribe([&](const chain::IndexedBlock& block) { published.push_back(block); });
  const auto checkpoint = indexer.sync().value();
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->number, ledger.client().block_number().value());

  const auto stored = index.store->grant(patient.address, doctor.address).value();
  ASSERT_TRUE(stored.has_value());
  const auto on_chain = ledger.view("grants", {patient.address, doctor.address});
  EXPECT_EQ(stored->scope, on_chain[0].word());
  EXPECT_EQ(stored->expiry, on_chain[2].word());
  std::size_t events = 0;
  for (const auto& block : published) events += block.events.size();
  EXPECT_EQ(events, index.store->event_count().value());
  EXPECT_EQ(events, 4u);  // RegistrarSet, DoctorVerified, PatientRegistered, AccessGranted

  // Nothing new: a second sync changes nothing.
  const std::string before = index.store->dump().value();
  ASSERT_TRUE(indexer.sync().ok());
  EXPECT_EQ(index.store->dump().value(), before);
  EXPECT_EQ(before, fresh_dump());
}

TEST_P(IndexerTest, AReorgOfOneToFiveBlocksEqualsAFreshReindex) {
  Party registrar = ledger.registrar();
  Party doctor = ledger.verified_doctor(registrar);
  Party patient = ledger.registered_patient();
  TempIndex index(GetParam());
  chain::Indexer indexer(ledger.client(), ledger.medchain(), *index.store, options());
  for (int depth = 1; depth <= 5; ++depth) {
    const std::string snapshot =
        ledger.client().rpc().call("evm_snapshot", json::array()).value().get<std::string>();
    for (int i = 0; i < depth; ++i) grant(patient, doctor, static_cast<std::uint16_t>(1 << i));
    ASSERT_TRUE(indexer.sync().ok());
    ASSERT_TRUE(ledger.client().rpc().call("evm_revert", json::array({snapshot})).ok());
    // The replacing branch: as many blocks, or one more, with different grants; the patient's
    // and doctor's senders re-read their nonces after the revert.
    patient.sender =
        chain::TransactionSender::connect(ledger.client(), patient.key, ledger.chain_id()).value();
    for (int i = 0; i <= depth % 2; ++i)
      grant(patient, doctor, static_cast<std::uint16_t>(0x800 | i));
    ASSERT_TRUE(indexer.sync().ok()) << "depth " << depth;
    EXPECT_EQ(index.store->dump().value(), fresh_dump()) << "depth " << depth;
    const auto stored = index.store->grant(patient.address, doctor.address).value();
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->scope, ledger.view("grants", {patient.address, doctor.address})[0].word());
  }
  // And so says the command line's check.
  const fs::path data_dir = fs::temp_directory_path() / ("medchain-reorg-" + to_hex(random_hash()));
  fs::create_directories(data_dir);
  ASSERT_TRUE(chain::write_deployment(data_dir, ledger.deployment()).ok());
  const ProcessResult verified =
      run_process({MEDCHAIN_CLI_PATH, "index", "verify", "--rpc-url", ledger.dev_chain().url(),
                   "--data-dir", data_dir.string(), "--database", index.database.location()},
                  std::chrono::seconds(60));
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  fs::remove_all(data_dir);
}

// The index answers "may this caller read category c of this patient now?" exactly as the
// contract's canRead and canAppend do, before and after a grant expires.
TEST_P(IndexerTest, AuthorizationAgreesWithTheContract) {
  Party registrar = ledger.registrar();
  Party patient = ledger.registered_patient();
  Party guardian = ledger.party(/*funded=*/false);
  std::vector<Party> doctors;
  for (int i = 0; i < 5; ++i) doctors.push_back(ledger.verified_doctor(registrar));
  Party stranger = ledger.party(/*funded=*/false);
  const std::uint64_t start = ledger.client().latest_block().value()->timestamp;
  const auto grant_to = [&](const Party& doctor, std::uint16_t scope, std::uint8_t permissions,
                            std::uint64_t expiry) {
    ledger.must_call(
        patient, "grantAccess",
        {patient.address, doctor.address, word(scope), word(permissions), word(expiry)});
  };
  grant_to(doctors[0], 0x6, 1, start + 86'400);    // lab and imaging, read
  grant_to(doctors[1], 0xFFF, 3, start + 60);      // everything, read and append, briefly
  grant_to(doctors[3], 0xFFF, 3, start + 86'400);  // then suspended
  grant_to(doctors[4], 0, 2, start + 86'400);      // append only
  ledger.must_call(patient, "addGuardian", {patient.address, guardian.address});
  ledger.must_call(patient, "setEmergencyPolicy", {patient.address, true, word(3'600), word(0)});
  ledger.must_call(doctors[2], "openEmergencyAccess", {patient.address, word(600), word(1)});
  ledger.must_call(registrar, "suspendDoctor", {doctors[3].address});

  TempIndex index(GetParam());
  chain::Indexer indexer(ledger.client(), ledger.medchain(), *index.store, options());
  const auto compare = [&] {
    ASSERT_TRUE(indexer.sync().ok());
    const std::uint64_t now = ledger.client().latest_block().value()->timestamp;
    std::vector<const Party*> callers{&stranger};
    for (const Party& doctor : doctors) callers.push_back(&doctor);
    for (const Party* caller : callers) {
      for (std::uint8_t category = 0; category < 13; ++category) {
        const bool chain_says =
            ledger.view("canRead", {patient.address, caller->address, word(category)})[0].flag();
        const auto index_says =
            index.store->read_access(patient.address, caller->address, category, now).value();
        EXPECT_EQ(index_says != store::ReadAccess::kDenied, chain_says)
            << "caller " << to_hex(caller->address) << " category " << int(category);
      }
      EXPECT_EQ(index.store->may_append(patient.address, caller->address, now).value(),
                ledger.view("canAppend", {patient.address, caller->address})[0].flag())
          << "caller " << to_hex(caller->address);
    }
    EXPECT_EQ(index.store->read_access(patient.address, patient.address, 8, now).value(),
              store::ReadAccess::kPatient);
    EXPECT_EQ(index.store->read_access(patient.address, guardian.address, 8, now).value(),
              store::ReadAccess::kGuardian);
    EXPECT_TRUE(index.store->may_append(patient.address, guardian.address, now).value());
  };
  const auto emergency_doctor_reads = [&] {
    return index.store
        ->read_access(patient.address, doctors[2].address, 8,
                      ledger.client().latest_block().value()->timestamp)
        .value();
  };
  compare();
  EXPECT_EQ(emergency_doctor_reads(), store::ReadAccess::kEmergency);
  // Two minutes on: doctor 1's grant has expired, on chain and in the index alike.
  ASSERT_TRUE(ledger.client().rpc().call("evm_increaseTime", json::array({120})).ok());
  ASSERT_TRUE(ledger.client().rpc().call("evm_mine", json::array()).ok());
  compare();
  EXPECT_FALSE(ledger.view("canAppend", {patient.address, doctors[1].address})[0].flag());
  // Turning the policy off ends doctor 2's window, still open, on chain and in the index alike.
  ledger.must_call(patient, "setEmergencyPolicy", {patient.address, false, word(0), word(0)});
  compare();
  EXPECT_EQ(emergency_doctor_reads(), store::ReadAccess::kDenied);
}

INSTANTIATE_TEST_SUITE_P(Stores, IndexerTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& param_info) { return store_name(param_info.param); });

}  // namespace
}  // namespace medchain::test
