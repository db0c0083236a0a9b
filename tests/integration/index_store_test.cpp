// The index store on SQLite and on PostgreSQL: the same tests, one parameter.
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/store/index_store.hpp>

#include "support/stores.hpp"

namespace medchain::store {
namespace {

using chain::IndexedBlock;
using chain::IndexedEvent;
using nlohmann::json;
using test::StoreKind;
using test::TestDatabase;

const std::string kPatient = "0x00000000000000000000000000000000000000aa";
const std::string kDoctor = "0x00000000000000000000000000000000000000bb";

Hash32 hash_of(std::uint64_t n) {
  Hash32 hash;
  hash.bytes[31] = static_cast<std::uint8_t>(n);
  hash.bytes[0] = 0xb1;
  return hash;
}

IndexedBlock block(std::uint64_t number, std::vector<IndexedEvent> events) {
  for (std::size_t i = 0; i < events.size(); ++i) events[i].log_index = i;
  return IndexedBlock{number, hash_of(number), 1'000 + number, std::move(events)};
}

IndexedEvent event(std::string name, json args) {
  return IndexedEvent{0, hash_of(99), std::move(name), std::move(args)};
}

class IndexStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(GetParam());
    store_ = IndexStore::open(database_->database()).value();
  }

  std::vector<IndexedBlock> story() {
    return {
        block(5, {event("PatientRegistered", {{"patient", kPatient}, {"encryptionKey", "0x01"}})}),
        block(6, {event("AccessGranted", {{"patient", kPatient},
                                          {"doctor", kDoctor},
                                          {"scope", 6},
                                          {"permissions", 1},
                                          {"expiry", 5000}})}),
        block(7, {event("EmergencyAccessOpened", {{"patient", kPatient},
                                                  {"doctor", kDoctor},
                                                  {"until", 4000},
                                                  {"reasonCode", 2}}),
                  event("AccessRevoked", {{"patient", kPatient}, {"doctor", kDoctor}})}),
    };
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<IndexStore> store_;
};

const Address kPatientAddress = from_hex_fixed<Address>(kPatient).value();
const Address kDoctorAddress = from_hex_fixed<Address>(kDoctor).value();

TEST_P(IndexStoreTest, AppliesEventsAndTheCheckpointTogether) {
  EXPECT_FALSE(store_->checkpoint().value().has_value());
  const auto blocks = story();
  ASSERT_TRUE(store_->apply({blocks[0], blocks[1]}).ok());
  EXPECT_EQ(store_->checkpoint().value(), (chain::BlockRef{6, hash_of(6)}));
  const auto granted = store_->grant(kPatientAddress, kDoctorAddress).value();
  ASSERT_TRUE(granted.has_value());
  EXPECT_EQ(granted->scope, 6);
  EXPECT_EQ(granted->expiry, 5000u);
  ASSERT_TRUE(store_->apply({blocks[2]}).ok());
  EXPECT_FALSE(store_->grant(kPatientAddress, kDoctorAddress).value().has_value());
  EXPECT_EQ(store_->event_count().value(), 4u);
  EXPECT_EQ(store_->block_hash(6).value(), hash_of(6));
  EXPECT_FALSE(store_->block_hash(4).value().has_value());
}

TEST_P(IndexStoreTest, EscrowPoliciesAndCustodianKeysFollowTheirEventsAndRollBack) {
  const std::string policy = "0x" + std::string(62, '0') + "aa";
  const std::string zero = "0x" + std::string(64, '0');
  const std::string key = "0x" + std::string(62, '0') + "cc";
  ASSERT_TRUE(store_->apply(story()).ok());
  ASSERT_TRUE(
      store_
          ->apply({block(
              8, {event("EscrowPolicySet", {{"patient", kPatient}, {"policyHash", policy}}),
                  event("CustodianKeySet", {{"custodian", kDoctor}, {"encryptionKey", key}})})})
          .ok());
  EXPECT_EQ(store_->escrow_policy_hash(kPatientAddress).value(),
            from_hex_fixed<Hash32>(policy).value());
  EXPECT_EQ(store_->custodian_key(kDoctorAddress).value(), from_hex_fixed<Hash32>(key).value());
  // Zero clears the policy; a rollback brings it back, as if the clearing block never came.
  ASSERT_TRUE(store_
                  ->apply({block(9, {event("EscrowPolicySet",
                                           {{"patient", kPatient}, {"policyHash", zero}})})})
                  .ok());
  EXPECT_FALSE(store_->escrow_policy_hash(kPatientAddress).value().has_value());
  ASSERT_TRUE(store_->rollback_to(8).ok());
  EXPECT_EQ(store_->escrow_policy_hash(kPatientAddress).value(),
            from_hex_fixed<Hash32>(policy).value());
  ASSERT_TRUE(store_->rollback_to(7).ok());
  EXPECT_FALSE(store_->escrow_policy_hash(kPatientAddress).value().has_value());
  EXPECT_FALSE(store_->custodian_key(kDoctorAddress).value().has_value());
}

TEST_P(IndexStoreTest, ReplayingAppliedBlocksChangesNothing) {
  const auto blocks = story();
  ASSERT_TRUE(store_->apply(blocks).ok());
  const std::string before = store_->dump().value();
  ASSERT_TRUE(store_->apply(blocks).ok());
  ASSERT_TRUE(store_->apply({blocks[1]}).ok());
  EXPECT_EQ(store_->dump().value(), before);
}

TEST_P(IndexStoreTest, RollbackEqualsNeverHavingSeenTheBlocks) {
  const auto blocks = story();
  ASSERT_TRUE(store_->apply(blocks).ok());
  ASSERT_TRUE(store_->rollback_to(6).ok());
  EXPECT_EQ(store_->checkpoint().value(), (chain::BlockRef{6, hash_of(6)}));
  EXPECT_TRUE(store_->grant(kPatientAddress, kDoctorAddress).value().has_value());

  // A second index that only ever saw blocks 5 and 6 dumps the same.
  {
    TestDatabase other_database(GetParam());
    auto other = IndexStore::open(other_database.database()).value();
    ASSERT_TRUE(other->apply({blocks[0], blocks[1]}).ok());
    EXPECT_EQ(other->dump().value(), store_->dump().value());
  }

  // Back to before anything we know: the index is empty and starts over.
  ASSERT_TRUE(store_->rollback_to(3).ok());
  EXPECT_FALSE(store_->checkpoint().value().has_value());
  EXPECT_EQ(store_->event_count().value(), 0u);
}

TEST_P(IndexStoreTest, SurvivesReopeningAndRefusesANewerSchema) {
  ASSERT_TRUE(store_->apply(story()).ok());
  store_.reset();
  database_->reopen();
  store_ = IndexStore::open(database_->database()).value();
  EXPECT_EQ(store_->checkpoint().value()->number, 7u);
  ASSERT_TRUE(database_->database().execute("UPDATE schema_version SET version = 99").ok());
  EXPECT_EQ(IndexStore::open(database_->database()).error().code, Errc::kUnsupported);
}

TEST_P(IndexStoreTest, AFailedBatchLeavesNoTrace) {
  ASSERT_TRUE(store_->apply({story()[0]}).ok());
  const std::string before = store_->dump().value();
  // The second event lacks its fields: the whole batch, checkpoint included, is refused.
  const auto bad = block(6, {event("AccessGranted", {{"patient", kPatient},
                                                     {"doctor", kDoctor},
                                                     {"scope", 1},
                                                     {"permissions", 1},
                                                     {"expiry", 9}}),
                             event("AccessGranted", {{"patient", kPatient}})});
  EXPECT_FALSE(store_->apply({bad}).ok());
  EXPECT_EQ(store_->dump().value(), before);
}

TEST_P(IndexStoreTest, RolesNameEveryPartAnAddressPlays) {
  const std::string registrar = "0x00000000000000000000000000000000000000cc";
  const std::string ward_a = "0x00000000000000000000000000000000000000a1";
  const std::string ward_b = "0x00000000000000000000000000000000000000a2";
  const auto address = [](const std::string& hex) { return from_hex_fixed<Address>(hex).value(); };

  const Roles nobody = store_->roles(kDoctorAddress).value();
  EXPECT_FALSE(nobody.patient);
  EXPECT_EQ(nobody.doctor, "");
  EXPECT_FALSE(nobody.registrar);
  EXPECT_TRUE(nobody.guardian_of.empty());

  // The doctor is also a patient and the guardian of two patients, added out of order.
  ASSERT_TRUE(
      store_
          ->apply({block(
              5,
              {
                  event("RegistrarSet", {{"registrar", registrar}, {"enabled", 1}}),
                  event("DoctorVerified", {{"doctor", kDoctor},
                                           {"licenseHash", "0x01"},
                                           {"encryptionKey", "0x02"},
                                           {"registrar", registrar}}),
                  event("PatientRegistered", {{"patient", kDoctor}, {"encryptionKey", "0x03"}}),
                  event("GuardianAdded", {{"patient", ward_b}, {"guardian", kDoctor}}),
                  event("GuardianAdded", {{"patient", ward_a}, {"guardian", kDoctor}}),
                  event("GuardianAdded", {{"patient", ward_a}, {"guardian", registrar}}),
              })})
          .ok());
  const Roles doctor = store_->roles(kDoctorAddress).value();
  EXPECT_TRUE(doctor.patient);
  EXPECT_EQ(doctor.doctor, "verified");
  EXPECT_FALSE(doctor.registrar);
  EXPECT_EQ(doctor.guardian_of, (std::vector<Address>{address(ward_a), address(ward_b)}));
  const Roles registrar_roles = store_->roles(address(registrar)).value();
  EXPECT_TRUE(registrar_roles.registrar);
  EXPECT_FALSE(registrar_roles.patient);
  EXPECT_EQ(registrar_roles.guardian_of, std::vector<Address>{address(ward_a)});

  ASSERT_TRUE(
      store_
          ->apply({block(6,
                         {
                             event("DoctorSuspended", {{"doctor", kDoctor}}),
                             event("GuardianRemoved", {{"patient", ward_b}, {"guardian", kDoctor}}),
                         })})
          .ok());
  const Roles suspended = store_->roles(kDoctorAddress).value();
  EXPECT_EQ(suspended.doctor, "suspended");
  EXPECT_EQ(suspended.guardian_of, std::vector<Address>{address(ward_a)});
}

// A lost-wallet recovery (ControllerSet): the controller acts as the patient, reads as the
// patient and manages the patient's consent; the patient's own (lost) key no longer does, and a
// rollback past the recovery gives the patient's key its power back.
TEST_P(IndexStoreTest, AControllerActsAsThePatientAndTheOldKeyNoLonger) {
  const std::string controller = "0x00000000000000000000000000000000000000b5";
  const Address controller_address = from_hex_fixed<Address>(controller).value();
  ASSERT_TRUE(store_->apply(story()).ok());
  EXPECT_EQ(store_->acting_patient(kPatientAddress).value(), kPatientAddress);
  EXPECT_TRUE(store_->manages(kPatientAddress, kPatientAddress).value());
  EXPECT_FALSE(store_->manages(kPatientAddress, controller_address).value());
  EXPECT_EQ(store_->read_access(kPatientAddress, controller_address, 1, 1'000).value(),
            ReadAccess::kDenied);

  ASSERT_TRUE(store_
                  ->apply({block(10, {event("ControllerSet",
                                            {{"patient", kPatient}, {"controller", controller}})})})
                  .ok());
  EXPECT_EQ(store_->acting_patient(kPatientAddress).value(), controller_address);
  EXPECT_TRUE(store_->acts_as_patient(kPatientAddress, controller_address).value());
  EXPECT_FALSE(store_->acts_as_patient(kPatientAddress, kPatientAddress).value());
  EXPECT_TRUE(store_->manages(kPatientAddress, controller_address).value());
  EXPECT_FALSE(store_->manages(kPatientAddress, kPatientAddress).value());
  EXPECT_TRUE(store_->may_append(kPatientAddress, controller_address, 1'000).value());
  EXPECT_FALSE(store_->may_append(kPatientAddress, kPatientAddress, 1'000).value());
  EXPECT_EQ(store_->read_access(kPatientAddress, controller_address, 1, 1'000).value(),
            ReadAccess::kPatient);
  EXPECT_EQ(store_->read_access(kPatientAddress, kPatientAddress, 1, 1'000).value(),
            ReadAccess::kDenied);
  EXPECT_NE(store_->dump().value().find(controller.substr(2)), std::string::npos);
  EXPECT_EQ(store_->roles(controller_address).value().controller_of,
            std::vector<Address>{kPatientAddress});
  EXPECT_TRUE(store_->roles(kPatientAddress).value().controller_of.empty());

  ASSERT_TRUE(store_->rollback_to(9).ok());
  EXPECT_EQ(store_->acting_patient(kPatientAddress).value(), kPatientAddress);
  EXPECT_TRUE(store_->manages(kPatientAddress, kPatientAddress).value());
  EXPECT_FALSE(store_->manages(kPatientAddress, controller_address).value());
}

// The inbox's chain items: one row per recipient, guardians as they were at the event, gone
// with a rollback, and derived once for an index written before the table existed.
// A replica's pass between full ones reads only what was indexed since its last (by block).
TEST_P(IndexStoreTest, ListsTheVersionsIndexedAfterABlock) {
  const auto added = [](std::uint64_t n) {
    return event("RecordAdded", {{"patient", kPatient},
                                 {"recordId", to_hex(hash_of(100 + n))},
                                 {"author", kPatient},
                                 {"digest", to_hex(hash_of(120 + n))},
                                 {"nodeId", to_hex(hash_of(140))},
                                 {"contentId", to_hex(hash_of(160 + n))},
                                 {"head", to_hex(hash_of(180 + n))}});
  };
  ASSERT_TRUE(
      store_->apply({block(5, {added(1)}), block(6, {added(2), added(3)}), block(8, {added(4)})})
          .ok());
  const auto record_ids_after = [&](std::uint64_t after) {
    const Result<std::vector<RecordVersionRow>> rows = store_->record_versions_after_block(after);
    std::vector<Hash32> ids;
    if (!rows.ok()) return ids;
    for (const RecordVersionRow& row : *rows) ids.push_back(row.record_id);
    return ids;
  };
  EXPECT_EQ(record_ids_after(0).size(), 4u);
  EXPECT_EQ(record_ids_after(5), (std::vector<Hash32>{hash_of(102), hash_of(103), hash_of(104)}));
  EXPECT_EQ(record_ids_after(7), (std::vector<Hash32>{hash_of(104)}));
  EXPECT_TRUE(record_ids_after(8).empty());
}

TEST_P(IndexStoreTest, NotificationsGoToWhomTheEventConcernsAndFollowTheChain) {
  const std::string guardian = "0x00000000000000000000000000000000000000cc";
  const Address guardian_address = from_hex_fixed<Address>(guardian).value();
  const auto kinds_of = [&](const Address& who) {
    const std::vector<NotificationRow> rows = store_->notifications_of(who).value();
    std::vector<std::string> kinds;
    for (const NotificationRow& row : rows) kinds.push_back(row.kind);
    return kinds;
  };

  auto blocks = story();
  blocks.insert(
      blocks.begin() + 1,
      block(4, {event("GuardianAdded", {{"patient", kPatient}, {"guardian", guardian}})}));
  std::swap(blocks[0], blocks[1]);  // block 4 before block 5
  ASSERT_TRUE(store_->apply(blocks).ok());
  EXPECT_EQ(kinds_of(kPatientAddress), std::vector<std::string>{"emergency_opened"});
  EXPECT_EQ(kinds_of(guardian_address), std::vector<std::string>{"emergency_opened"});
  EXPECT_EQ(kinds_of(kDoctorAddress),
            (std::vector<std::string>{"access_revoked", "access_granted"}));
  const NotificationRow opened = store_->notifications_of(kPatientAddress).value().at(0);
  EXPECT_EQ(opened.block_number, 7u);
  EXPECT_EQ(opened.log_index, 0u);
  EXPECT_EQ(opened.at, 1'007u);
  EXPECT_EQ(json::parse(opened.args)["reasonCode"], 2);
  // A guardian removed later still heard of what happened while they were one.
  ASSERT_TRUE(store_
                  ->apply({block(8, {event("GuardianRemoved",
                                           {{"patient", kPatient}, {"guardian", guardian}})}),
                           block(9, {event("AccessRequested", {{"requestId", "187"},
                                                               {"patient", kPatient},
                                                               {"doctor", kDoctor},
                                                               {"scope", 2},
                                                               {"permissions", 1},
                                                               {"duration", 60},
                                                               {"reasonHash", "0x02"}})})})
                  .ok());
  EXPECT_EQ(kinds_of(kPatientAddress),
            (std::vector<std::string>{"access_requested", "emergency_opened"}));
  EXPECT_EQ(kinds_of(guardian_address), std::vector<std::string>{"emergency_opened"});

  ASSERT_TRUE(store_->rollback_to(6).ok());
  EXPECT_TRUE(kinds_of(kPatientAddress).empty());
  EXPECT_EQ(kinds_of(kDoctorAddress), std::vector<std::string>{"access_granted"});

  // As if written before the inbox: reopening derives the rows again.
  ASSERT_TRUE(database_->database().execute("DELETE FROM notifications").ok());
  store_ = IndexStore::open(database_->database()).value();
  EXPECT_EQ(kinds_of(kDoctorAddress), std::vector<std::string>{"access_granted"});
  EXPECT_EQ(store_->grants_ending_for(kDoctorAddress, 4'000, 5'000).value().size(), 1u);
  EXPECT_TRUE(store_->grants_ending_for(kDoctorAddress, 5'000, 9'000).value().empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, IndexStoreTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& param_info) { return test::store_name(param_info.param); });

}  // namespace
}  // namespace medchain::store
