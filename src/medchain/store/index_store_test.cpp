#include <gtest/gtest.h>
#include <unistd.h>

#include <medchain/core/hex.hpp>
#include <medchain/store/index_store.hpp>

namespace medchain::store {
namespace {

namespace fs = std::filesystem;
using chain::IndexedBlock;
using chain::IndexedEvent;
using nlohmann::json;

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

class IndexStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("medchain-index-" + std::to_string(::getpid()) + ".db");
    fs::remove(path_);
    database_ = open_sqlite(path_).value();
    store_ = IndexStore::open(*database_).value();
  }
  void TearDown() override {
    store_.reset();
    database_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
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

  fs::path path_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<IndexStore> store_;
};

const Address kPatientAddress = from_hex_fixed<Address>(kPatient).value();
const Address kDoctorAddress = from_hex_fixed<Address>(kDoctor).value();

TEST_F(IndexStoreTest, AppliesEventsAndTheCheckpointTogether) {
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

TEST_F(IndexStoreTest, ReplayingAppliedBlocksChangesNothing) {
  const auto blocks = story();
  ASSERT_TRUE(store_->apply(blocks).ok());
  const std::string before = store_->dump().value();
  ASSERT_TRUE(store_->apply(blocks).ok());
  ASSERT_TRUE(store_->apply({blocks[1]}).ok());
  EXPECT_EQ(store_->dump().value(), before);
}

TEST_F(IndexStoreTest, RollbackEqualsNeverHavingSeenTheBlocks) {
  const auto blocks = story();
  ASSERT_TRUE(store_->apply(blocks).ok());
  ASSERT_TRUE(store_->rollback_to(6).ok());
  EXPECT_EQ(store_->checkpoint().value(), (chain::BlockRef{6, hash_of(6)}));
  EXPECT_TRUE(store_->grant(kPatientAddress, kDoctorAddress).value().has_value());

  // A second index that only ever saw blocks 5 and 6 dumps the same.
  const fs::path other_path = path_.string() + ".other";
  {
    auto other_db = open_sqlite(other_path).value();
    auto other = IndexStore::open(*other_db).value();
    ASSERT_TRUE(other->apply({blocks[0], blocks[1]}).ok());
    EXPECT_EQ(other->dump().value(), store_->dump().value());
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(other_path.string() + suffix);

  // Back to before anything we know: the index is empty and starts over.
  ASSERT_TRUE(store_->rollback_to(3).ok());
  EXPECT_FALSE(store_->checkpoint().value().has_value());
  EXPECT_EQ(store_->event_count().value(), 0u);
}

TEST_F(IndexStoreTest, SurvivesReopeningAndRefusesANewerSchema) {
  ASSERT_TRUE(store_->apply(story()).ok());
  store_.reset();
  database_.reset();
  database_ = open_sqlite(path_).value();
  store_ = IndexStore::open(*database_).value();
  EXPECT_EQ(store_->checkpoint().value()->number, 7u);
  ASSERT_TRUE(database_->execute("UPDATE schema_version SET version = 99").ok());
  EXPECT_EQ(IndexStore::open(*database_).error().code, Errc::kUnsupported);
}

TEST_F(IndexStoreTest, AFailedBatchLeavesNoTrace) {
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

}  // namespace
}  // namespace medchain::store
