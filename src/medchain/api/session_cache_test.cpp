// The session cache on its own, and the session rules of NodeApi with it in front of a real
// SQLite database: the cache may save reads, never change an answer beyond its freshness bound.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <medchain/api/detail/session_cache.hpp>
#include <medchain/api/node_api.hpp>
#include <medchain/store/disk_blob_store.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/crypto/sha256.hpp>

namespace medchain::api {
namespace {

namespace fs = std::filesystem;
using detail::SessionCache;

store::Session session_of(std::uint8_t seed, std::uint64_t last_seen) {
  store::Session session;
  session.token_hash.bytes.fill(seed);
  session.address.bytes.fill(static_cast<std::uint8_t>(seed + 1));
  session.created_at = last_seen;
  session.last_seen = last_seen;
  session.expires_at = last_seen + 3'600;
  return session;
}

std::uint64_t epoch_of(const SessionCache& cache) {
  return cache.find(Hash32{}, 0).epoch;
}

TEST(SessionCache, AnEntryIsFreshUntilItsIdleTimerIsDueForAWrite) {
  SessionCache cache;
  const store::Session session = session_of(1, 1'000);
  cache.put(session, epoch_of(cache));
  EXPECT_EQ(cache.find(session.token_hash, 1'000).session, session);
  EXPECT_EQ(cache.find(session.token_hash, 1'000 + SessionCache::kFreshFor - 1).session, session);
  EXPECT_FALSE(cache.find(session.token_hash, 1'000 + SessionCache::kFreshFor).session);
  EXPECT_FALSE(cache.find(session_of(2, 1'000).token_hash, 1'000).session);
}

TEST(SessionCache, AReadStartedBeforeALogoutCannotPutTheSessionBack) {
  SessionCache cache;
  const store::Session session = session_of(1, 1'000);
  const std::uint64_t before_logout = epoch_of(cache);
  cache.erase(session.token_hash);  // the logout lands while the read is under way
  cache.put(session, before_logout);
  EXPECT_FALSE(cache.find(session.token_hash, 1'000).session);
  cache.put(session, epoch_of(cache));  // a read after the logout
  EXPECT_TRUE(cache.find(session.token_hash, 1'000).session);
}

TEST(SessionCache, AFullCacheStartsOver) {
  SessionCache cache(2);
  cache.put(session_of(1, 1'000), epoch_of(cache));
  cache.put(session_of(2, 1'000), epoch_of(cache));
  cache.put(session_of(2, 1'001), epoch_of(cache));  // a known entry replaced: still two
  EXPECT_EQ(cache.size(), 2u);
  cache.put(session_of(3, 1'000), epoch_of(cache));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.find(session_of(3, 1'000).token_hash, 1'000).session);
  EXPECT_FALSE(cache.find(session_of(1, 1'000).token_hash, 1'000).session);
}

// NodeApi in process on a SQLite file, with a clock the test sets.
class SessionRulesTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("medchain-session-test-" + std::to_string(getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    blobs_ = store::DiskBlobStore::open(root_ / "blobs").value();
    stores_ = open().value();
    NodeApiConfig config;
    config.session_idle = std::chrono::seconds(60);
    api_ = std::make_unique<NodeApi>(
        config, [this] { return open(); }, *blobs_);
    api_->set_clock([this] { return now_; });

    token_.assign(32, 0x5a);
    session_ = store::Session{crypto::sha256(token_), Address{}, now_, now_, now_ + 600, false};
    session_.address.bytes.fill(0x11);
    ASSERT_TRUE(stores_.node->create_session(session_).ok());
  }
  void TearDown() override {
    api_.reset();
    stores_ = {};
    fs::remove_all(root_);
  }

  Result<NodeStores> open() {
    NodeStores stores;
    MEDCHAIN_TRY(stores.database, store::open_sqlite(root_ / "node.db"));
    MEDCHAIN_TRY(stores.index, store::IndexStore::open(*stores.database));
    MEDCHAIN_TRY(stores.node, store::NodeStore::open(*stores.database));
    return stores;
  }

  int send(const std::string& method, const std::string& path) {
    Request request;
    request.method = method;
    request.path = path;
    request.peer = "127.0.0.1";
    request.headers["authorization"] = "Bearer " + to_hex(token_, /*prefix=*/false);
    return api_->handle(request).status;
  }
  int me() { return send("GET", "/v1/me"); }
  std::uint64_t stored_last_seen() {
    return stores_.node->session(session_.token_hash).value()->last_seen;
  }

  fs::path root_;
  std::unique_ptr<store::DiskBlobStore> blobs_;
  NodeStores stores_;  // the test's own connection to the node's database
  std::unique_ptr<NodeApi> api_;
  std::uint64_t now_ = 1'000'000;
  Bytes token_;
  store::Session session_;
};

TEST_F(SessionRulesTest, LogoutEndsTheSessionAtOnce) {
  ASSERT_EQ(me(), 200);
  ASSERT_EQ(send("POST", "/v1/auth/logout"), 204);
  EXPECT_EQ(me(), 401);
  EXPECT_TRUE(stores_.node->session(session_.token_hash).value()->revoked);
}

TEST_F(SessionRulesTest, ARevocationBehindTheNodesBackTakesEffectWithinTheFreshnessBound) {
  ASSERT_EQ(me(), 200);
  ASSERT_TRUE(stores_.node->revoke_session(session_.token_hash).ok());
  now_ += SessionCache::kFreshFor - 1;
  EXPECT_EQ(me(), 200);  // still the cached entry: the bound, not a promise of more
  now_ += 1;
  EXPECT_EQ(me(), 401);
}

TEST_F(SessionRulesTest, TheIdleTimerIsWrittenOncePerFreshnessInterval) {
  ASSERT_EQ(me(), 200);
  EXPECT_EQ(stored_last_seen(), 1'000'000u);  // used at once: nothing to write yet
  now_ += SessionCache::kFreshFor - 1;
  ASSERT_EQ(me(), 200);
  EXPECT_EQ(stored_last_seen(), 1'000'000u);
  now_ += 1;
  ASSERT_EQ(me(), 200);
  EXPECT_EQ(stored_last_seen(), now_);
  // Used every 40 s, the session outlives its 60 s idle timeout many times over.
  for (int i = 0; i < 5; ++i) {
    now_ += 40;
    ASSERT_EQ(me(), 200) << i;
  }
  EXPECT_EQ(stored_last_seen(), now_);
}

TEST_F(SessionRulesTest, AnIdleOrExpiredSessionIsRefusedEvenWhenCached) {
  ASSERT_EQ(me(), 200);
  now_ += 61;
  EXPECT_EQ(me(), 401);  // idle: 61 s unused

  // Kept in use, the session still ends at its absolute timeout.
  ASSERT_TRUE(stores_.node->touch_session(session_.token_hash, now_).ok());
  ASSERT_EQ(me(), 200);
  now_ = session_.expires_at - 1;
  ASSERT_TRUE(stores_.node->touch_session(session_.token_hash, now_).ok());
  ASSERT_EQ(me(), 200);
  now_ = session_.expires_at;
  EXPECT_EQ(me(), 401);
}

}  // namespace
}  // namespace medchain::api
