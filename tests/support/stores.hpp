// A fresh, empty database of either kind for a test: SQLite in a temporary file, or a new
// database on one throwaway PostgreSQL cluster shared by the whole test program. The same
// tests run on both (googletest parameters).
#pragma once

#include <filesystem>
#include <medchain/store/database.hpp>
#include <memory>
#include <ostream>

namespace medchain::test {

enum class StoreKind { kSqlite, kPostgres };

inline void PrintTo(StoreKind kind, std::ostream* out) {
  *out << (kind == StoreKind::kSqlite ? "sqlite" : "postgres");
}

class TestDatabase {
 public:
  explicit TestDatabase(StoreKind kind);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  store::Database& database() { return *database_; }
  // Connects again, as a restarted process would.
  void reopen();
  // Waits until no other connection is using the database. After a client is killed,
  // PostgreSQL may still be finishing (committing) what it had sent; reading before that is a
  // race in the test, not a fault of the client.
  void wait_until_idle();
  // What `medchain index` takes as --database: a SQLite path or a postgresql:// URL.
  const std::string& location() const { return location_; }

 private:
  StoreKind kind_;
  std::string location_;
  std::unique_ptr<store::Database> database_;
};

// "sqlite" / "postgres", for test names.
std::string store_name(StoreKind kind);

}  // namespace medchain::test
