// The SQL database the node's stores run on: SQLite, embedded, the default, or PostgreSQL for
// servers. One small interface, so the index, the keys and the audit log are
// written once for both: statements use `?` placeholders, and values are NULL, 64-bit integers
// or text (addresses and hashes as lowercase 0x hex, big integers as decimal).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <medchain/core/result.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace medchain::store {

using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;
using SqlRow = std::vector<SqlValue>;

class Database {
 public:
  enum class Dialect { kSqlite, kPostgres };

  virtual ~Database() = default;
  virtual Dialect dialect() const noexcept = 0;

  // Runs one statement (prepared once and cached). kIo on any database error.
  virtual Status execute(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  virtual Result<std::vector<SqlRow>> query(std::string_view sql,
                                            const std::vector<SqlValue>& params = {}) = 0;
  // Runs `body` in one transaction: committed if it returns ok, rolled back if not. Not
  // reentrant.
  Status transaction(const std::function<Status()>& body);

 protected:
  // The statement that opens a write transaction (SQLite takes its write lock up front).
  virtual const char* begin_statement() const { return "BEGIN"; }
};

// Opens (creating if needed) a SQLite database: WAL journal, synchronous=FULL (a commit is on
// disk when it returns), foreign keys on, a busy timeout for other processes reading it.
Result<std::unique_ptr<Database>> open_sqlite(const std::filesystem::path& file);

// Connects to PostgreSQL with a libpq connection string ("postgresql://user@host:port/db").
// Statements are prepared once per connection; `?` placeholders become $1, $2, ...
Result<std::unique_ptr<Database>> open_postgres(const std::string& connection_string);

// Opens a PostgreSQL database for a postgresql:// (or postgres://) URL, else the SQLite file
// at that path.
Result<std::unique_ptr<Database>> open_database(const std::string& location);

// Accessors for rows, for code that knows its schema.
std::int64_t as_int(const SqlValue& value);         // 0 for NULL
const std::string& as_text(const SqlValue& value);  // "" for NULL

}  // namespace medchain::store
