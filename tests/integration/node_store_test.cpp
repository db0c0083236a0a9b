// The node's own tables on SQLite and on PostgreSQL: wrapped keys, blob metadata, sessions, and
// the audit log's hash chain (tamper-evident, gap-free under concurrent appenders).
#include <gtest/gtest.h>

#include <medchain/core/hex.hpp>
#include <medchain/store/node_store.hpp>
#include <thread>

#include "support/ledger.hpp"
#include "support/stores.hpp"

namespace medchain::store {
namespace {

using test::random_hash;
using test::StoreKind;
using test::TestDatabase;

Address address(std::uint8_t tag) {
  Address result;
  result.bytes[19] = tag;
  return result;
}

class NodeStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(GetParam());
    store_ = NodeStore::open(database_->database()).value();
  }

  AuditEntry entry(std::uint64_t at, bool allowed = true) {
    return AuditEntry{0,          at,      address(1), "blob.read", to_hex(random_hash()),
                      address(2), allowed, {}};
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<NodeStore> store_;
};

TEST_P(NodeStoreTest, KeepsWrappedKeysPerRecipient) {
  const Hash32 record = random_hash();
  WrappedKey key{record, 1, address(7), Bytes{1, 2, 3}, address(2), 100};
  ASSERT_TRUE(store_->put_wrapped_key(key).ok());
  EXPECT_EQ(store_->wrapped_key(record, 1, address(7)).value(), key);
  EXPECT_FALSE(store_->wrapped_key(record, 1, address(8)).value().has_value());
  EXPECT_FALSE(store_->wrapped_key(record, 2, address(7)).value().has_value());
  key.sealed_key = Bytes{9, 9};
  ASSERT_TRUE(store_->put_wrapped_key(key).ok());  // re-wrapped: replaced
  EXPECT_EQ(store_->wrapped_key(record, 1, address(7)).value()->sealed_key, (Bytes{9, 9}));
}

TEST_P(NodeStoreTest, KeepsOneSummaryPerVersion) {
  const Hash32 record = random_hash();
  SealedSummary summary{record, 2, Bytes{'M', 'C', 'S', '1', 7}, address(3), 50};
  EXPECT_FALSE(store_->summary(record, 2).value().has_value());
  ASSERT_TRUE(store_->put_summary(summary).ok());
  EXPECT_EQ(store_->summary(record, 2).value(), summary);
  EXPECT_FALSE(store_->summary(record, 1).value().has_value());
  summary.sealed_summary = Bytes{8, 8};
  summary.uploaded_by = address(4);
  ASSERT_TRUE(store_->put_summary(summary).ok());  // replaced
  EXPECT_EQ(store_->summary(record, 2).value(), summary);
}

TEST_P(NodeStoreTest, KeepsTheNewestProfileOfEachDoctor) {
  DoctorProfileRow profile{
      address(3), "Dr. Ana Lima", "Cardiologia", "Hospital S\xC3\xA3o Jo\xC3\xA3o",
      100,        Bytes(65, 7),   address(1),    5};
  EXPECT_FALSE(store_->doctor_profile(address(3)).value().has_value());
  EXPECT_TRUE(store_->put_doctor_profile(profile).value());
  EXPECT_EQ(store_->doctor_profile(address(3)).value(), profile);
  DoctorProfileRow older = profile;
  older.name = "Dr. Old";
  older.issued_at = 99;
  EXPECT_FALSE(store_->put_doctor_profile(older).value());
  older.issued_at = 100;  // the same issuedAt does not replace either
  EXPECT_FALSE(store_->put_doctor_profile(older).value());
  EXPECT_EQ(store_->doctor_profile(address(3)).value()->name, "Dr. Ana Lima");
  DoctorProfileRow newer = profile;
  newer.specialty = "Cardiology";
  newer.issued_at = 101;
  EXPECT_TRUE(store_->put_doctor_profile(newer).value());
  EXPECT_EQ(store_->doctor_profile(address(3)).value(), newer);
  DoctorProfileRow other = profile;
  other.doctor = address(4);
  EXPECT_TRUE(store_->put_doctor_profile(other).value());
  const auto all = store_->doctor_profiles().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], newer);
  EXPECT_EQ(all[1], other);
}

TEST_P(NodeStoreTest, KeepsTheFirstRecordOfABlob) {
  const BlobInfo first{random_hash(), 5 << 20, 2, address(5), address(3), 10};
  ASSERT_TRUE(store_->put_blob(first).ok());
  BlobInfo again = first;
  again.category = 8;
  again.uploaded_by = address(4);
  ASSERT_TRUE(store_->put_blob(again).ok());
  EXPECT_EQ(store_->blob(first.digest).value(), first);
  EXPECT_FALSE(store_->blob(random_hash()).value().has_value());
}

TEST_P(NodeStoreTest, CountsAPatientsBytesAndFindsOldBlobsNoVersionNames) {
  const BlobInfo old_blob{random_hash(), 700, 2, address(5), address(5), 10};
  const BlobInfo new_blob{random_hash(), 300, 2, address(5), address(5), 500};
  const BlobInfo others{random_hash(), 50, 2, address(6), address(6), 20};
  for (const BlobInfo& blob : {old_blob, new_blob, others})
    ASSERT_TRUE(store_->put_blob(blob).ok());
  EXPECT_EQ(store_->patient_blob_bytes(address(5)).value(), 1000u);
  EXPECT_EQ(store_->patient_blob_bytes(address(7)).value(), 0u);
  // No version names any of them here (the node's tests name some on chain): the old ones,
  // oldest first, up to the limit.
  EXPECT_EQ(store_->unnamed_blobs(100, 10).value(), (std::vector<BlobInfo>{old_blob, others}));
  EXPECT_EQ(store_->unnamed_blobs(100, 1).value(), std::vector<BlobInfo>{old_blob});
  ASSERT_TRUE(store_->remove_blob(old_blob.digest).ok());
  EXPECT_FALSE(store_->blob(old_blob.digest).value().has_value());
  EXPECT_EQ(store_->patient_blob_bytes(address(5)).value(), 300u);
}

TEST_P(NodeStoreTest, SessionsAreTouchedAndRevoked) {
  const Session session{random_hash(), address(5), 100, 100, 100 + 86'400, false};
  ASSERT_TRUE(store_->create_session(session).ok());
  EXPECT_FALSE(store_->create_session(session).ok());  // one token, one session
  ASSERT_TRUE(store_->touch_session(session.token_hash, 160).ok());
  EXPECT_EQ(store_->session(session.token_hash).value()->last_seen, 160u);
  ASSERT_TRUE(store_->revoke_session(session.token_hash).ok());
  EXPECT_TRUE(store_->session(session.token_hash).value()->revoked);
  EXPECT_FALSE(store_->session(random_hash()).value().has_value());
}

TEST_P(NodeStoreTest, UnusedNoncesAndDeadSessionsArePurged) {
  ASSERT_TRUE(store_->issue_nonce("old-nonce", 100).ok());
  ASSERT_TRUE(store_->issue_nonce("fresh-nonce", 500).ok());
  const Session live{random_hash(), address(5), 400, 590, 10'000, false};
  const Session idle{random_hash(), address(5), 100, 200, 10'000, false};
  const Session expired{random_hash(), address(6), 100, 599, 600, false};
  const Session revoked{random_hash(), address(7), 500, 590, 10'000, true};
  for (const Session& session : {live, idle, expired, revoked}) {
    ASSERT_TRUE(store_->create_session(session).ok());
  }
  ASSERT_TRUE(store_->revoke_session(revoked.token_hash).ok());

  // At 600: nonces live 300 s, sessions idle out after 300 s.
  const NodeStore::Purged purged = store_->purge_sign_ins(300, 300, 600).value();
  EXPECT_EQ(purged.nonces, 1u);
  EXPECT_EQ(purged.sessions, 3u);
  EXPECT_TRUE(store_->session(live.token_hash).value().has_value());
  for (const Session& dead : {idle, expired, revoked}) {
    EXPECT_FALSE(store_->session(dead.token_hash).value().has_value());
  }
  EXPECT_FALSE(store_->consume_nonce("old-nonce", 0).value());
  EXPECT_TRUE(store_->consume_nonce("fresh-nonce", 0).value());
  EXPECT_EQ(store_->purge_sign_ins(300, 300, 600).value().sessions, 0u);  // nothing twice
}

TEST_P(NodeStoreTest, TheAuditLogIsAHashChain) {
  Hash32 previous;
  for (std::uint64_t i = 0; i < 30; ++i) {
    const AuditEntry stored = store_->append_audit(entry(i, i % 3 != 0)).value();
    EXPECT_EQ(stored.seq, i);
    EXPECT_EQ(stored.hash, NodeStore::audit_hash(previous, stored));
    previous = stored.hash;
  }
  const auto page = store_->audit_entries(11, 5).value();
  ASSERT_EQ(page.size(), 5u);
  EXPECT_EQ(page.front().seq, 11u);
  EXPECT_FALSE(page[1].allowed);  // seq 12
  EXPECT_TRUE(store_->verify_audit_chain().ok());

  ASSERT_TRUE(database_->database()
                  .execute("UPDATE audit_log SET subject = 'rewritten' WHERE seq = 20")
                  .ok());
  const Status tampered = store_->verify_audit_chain();
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().code, Errc::kCheckFailed);
  EXPECT_NE(tampered.error().message.find("entry 20"), std::string::npos);
}

TEST_P(NodeStoreTest, AGapInTheAuditLogIsFound) {
  for (std::uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(store_->append_audit(entry(i)).ok());
  ASSERT_TRUE(database_->database().execute("DELETE FROM audit_log WHERE seq = 4").ok());
  const Status broken = store_->verify_audit_chain();
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("entry 4"), std::string::npos);
}

TEST_P(NodeStoreTest, ConcurrentAppendersNeitherForkNorLoseEntries) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each appender has its own connection, as separate node processes would.
      auto database = open_database(database_->location()).value();
      auto store = NodeStore::open(*database).value();
      for (int i = 0; i < kEach; ++i) {
        if (!store->append_audit(entry(static_cast<std::uint64_t>(t * 100 + i))).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->audit_entries(0, 1'000).value().size(), std::size_t{kThreads * kEach});
  EXPECT_TRUE(store_->verify_audit_chain().ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, NodeStoreTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& param_info) { return test::store_name(param_info.param); });

}  // namespace
}  // namespace medchain::store
