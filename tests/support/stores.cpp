#include "support/stores.hpp"

#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "support/postgres.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;

// Started on first use, stopped when the test program exits.
TempPostgres& shared_cluster() {
  static TempPostgres cluster;
  return cluster;
}

std::unique_ptr<store::Database> connect(StoreKind kind, const std::string& location) {
  auto opened =
      kind == StoreKind::kSqlite ? store::open_sqlite(location) : store::open_postgres(location);
  if (!opened.ok()) throw std::runtime_error(opened.error().message);
  return std::move(opened).value();
}

}  // namespace

std::string store_name(StoreKind kind) {
  return kind == StoreKind::kSqlite ? "sqlite" : "postgres";
}

TestDatabase::TestDatabase(StoreKind kind) : kind_(kind) {
  static std::atomic<int> counter{0};
  if (kind == StoreKind::kSqlite) {
    location_ = (fs::temp_directory_path() / ("medchain-test-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(++counter) + ".db"))
                    .string();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(location_ + suffix);
  } else {
    location_ = shared_cluster().create_database();
  }
  database_ = connect(kind_, location_);
}

TestDatabase::~TestDatabase() {
  database_.reset();
  if (kind_ == StoreKind::kSqlite) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(location_ + suffix);
  }
}

void TestDatabase::wait_until_idle() {
  if (kind_ != StoreKind::kPostgres) return;  // SQLite has no server: the file is the state
  for (int attempt = 0; attempt < 1'000; ++attempt) {
    auto others = database_->query(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid()");
    if (others.ok() && store::as_int((*others)[0][0]) == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("PostgreSQL kept serving a killed client");
}

void TestDatabase::reopen() {
  database_.reset();
  database_ = connect(kind_, location_);
}

}  // namespace medchain::test
