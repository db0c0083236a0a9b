#include <sqlite3.h>

#include <medchain/store/database.hpp>
#include <medchain/store/statement_map.hpp>

namespace medchain::store {
namespace {

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  ~SqliteDatabase() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const noexcept override { return Dialect::kSqlite; }

  Status execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    MEDCHAIN_TRY(sqlite3_stmt * statement, prepare(sql, params));
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return failure(sql);
    }
    sqlite3_reset(statement);
    return {};
  }

  Result<std::vector<SqlRow>> query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    MEDCHAIN_TRY(sqlite3_stmt * statement, prepare(sql, params));
    std::vector<SqlRow> rows;
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return failure(sql);
      SqlRow row;
      for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        switch (sqlite3_column_type(statement, i)) {
          case SQLITE_NULL:
            row.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, i)));
            break;
          default:
            row.emplace_back(
                std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, i)),
                            static_cast<std::size_t>(sqlite3_column_bytes(statement, i))));
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_reset(statement);
    return rows;
  }

 protected:
  const char* begin_statement() const override { return "BEGIN IMMEDIATE"; }

 private:
  Error failure(std::string_view sql) {
    const Error error{Errc::kIo, std::string("sqlite: ") + sqlite3_errmsg(db_) +
                                     " in: " + std::string(sql.substr(0, 80))};
    // A failed statement is reset so the cache can run it again.
    for (auto& [text, statement] : statements_) sqlite3_reset(statement);
    return error;
  }

  Result<sqlite3_stmt*> prepare(std::string_view sql, const std::vector<SqlValue>& params) {
    auto found = statements_.find(sql);
    sqlite3_stmt* statement = nullptr;
    if (found != statements_.end()) {
      statement = found->second;
    } else {
      if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) !=
          SQLITE_OK) {
        return failure(sql);
      }
      statements_.emplace(std::string(sql), statement);
    }
    sqlite3_clear_bindings(statement);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(statement)) {
      return Error{Errc::kInvalidArgument,
                   "wrong number of SQL parameters for: " + std::string(sql.substr(0, 80))};
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
        sqlite3_bind_int64(statement, index, *number);
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()),
                          SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(statement, index);
      }
    }
    return statement;
  }

  sqlite3* db_;
  StatementMap<sqlite3_stmt*> statements_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::filesystem::path& file) {
  // SQLite counts every allocation under one process-wide mutex unless told otherwise before
  // its first use; nothing reads the counts, and the node's serving threads would contend for
  // it. (Too late if SQLite was already in use: then the call fails and changes nothing.)
  static const int memory_statistics_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  static_cast<void>(memory_statistics_off);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Error{Errc::kIo, "cannot open " + file.string() + ": " + message};
  }
  auto database = std::make_unique<SqliteDatabase>(db);
  sqlite3_busy_timeout(db, 5'000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    // journal_mode answers with a row; query() takes it.
    MEDCHAIN_TRY_STATUS(database->query(pragma, {}));
  }
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace medchain::store
