#include <libpq-fe.h>

#include <medchain/store/database.hpp>
#include <medchain/store/statement_map.hpp>

namespace medchain::store {
namespace {

// PostgreSQL's type oids for the integer types (pg_type.h): their values come back as numbers.
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kInt8 = 20;

// `?` placeholders (outside quotes) to $1, $2, ...
std::string number_placeholders(std::string_view sql) {
  std::string out;
  int next = 1;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += "$" + std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(PGconn* connection) : connection_(connection) {}
  ~PostgresDatabase() override { PQfinish(connection_); }

  Dialect dialect() const noexcept override { return Dialect::kPostgres; }

  Status execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    MEDCHAIN_TRY(std::vector<SqlRow> ignored, run(sql, params));
    return {};
  }

  Result<std::vector<SqlRow>> query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    return run(sql, params);
  }

 private:
  Error failure(const PGresult* result, std::string_view sql) {
    const char* message = result != nullptr ? PQresultErrorMessage(result) : "";
    if (message == nullptr || *message == '\0') message = PQerrorMessage(connection_);
    std::string text = message;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    const Errc code = PQstatus(connection_) == CONNECTION_OK ? Errc::kIo : Errc::kUnavailable;
    return Error{code, "postgres: " + text + " in: " + std::string(sql.substr(0, 80))};
  }

  // The name of the prepared statement for `sql`, preparing it on first use.
  Result<std::string> prepared(std::string_view sql, int parameter_count) {
    const auto found = statements_.find(sql);
    if (found != statements_.end()) return found->second;
    std::string name = "s" + std::to_string(statements_.size());
    PGresult* result = PQprepare(connection_, name.c_str(), number_placeholders(sql).c_str(),
                                 parameter_count, nullptr);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    Error error = ok ? Error{Errc::kIo, ""} : failure(result, sql);
    PQclear(result);
    if (!ok) return error;
    statements_.emplace(std::string(sql), name);
    return name;
  }

  Result<std::vector<SqlRow>> run(std::string_view sql, const std::vector<SqlValue>& params) {
    std::vector<std::string> texts;
    texts.reserve(params.size());
    std::vector<const char*> values;
    for (const SqlValue& param : params) {
      if (const auto* number = std::get_if<std::int64_t>(&param)) {
        texts.push_back(std::to_string(*number));
        values.push_back(texts.back().c_str());
      } else if (const auto* text = std::get_if<std::string>(&param)) {
        texts.push_back(*text);
        values.push_back(texts.back().c_str());
      } else {
        texts.emplace_back();
        values.push_back(nullptr);
      }
    }
    // Statements without parameters may hold several commands (migrations): those run as
    // plain queries; the rest are prepared once and reused.
    PGresult* result = nullptr;
    if (params.empty() && sql.find('?') == std::string_view::npos && sql.rfind("SELECT", 0) != 0) {
      result = PQexec(connection_, std::string(sql).c_str());
    } else {
      MEDCHAIN_TRY(std::string name, prepared(sql, static_cast<int>(params.size())));
      result = PQexecPrepared(connection_, name.c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0);
    }
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      Error error = failure(result, sql);
      PQclear(result);
      return error;
    }
    std::vector<SqlRow> rows;
    const int columns = PQnfields(result);
    for (int r = 0; r < PQntuples(result); ++r) {
      SqlRow row;
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result, r, c)) {
          row.emplace_back(std::monostate{});
          continue;
        }
        const char* value = PQgetvalue(result, r, c);
        const Oid type = PQftype(result, c);
        if (type == kInt2 || type == kInt4 || type == kInt8) {
          row.emplace_back(static_cast<std::int64_t>(std::stoll(value)));
        } else {
          row.emplace_back(std::string(value, static_cast<std::size_t>(PQgetlength(result, r, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }

  PGconn* connection_;
  StatementMap<std::string> statements_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const std::string& connection_string) {
  PGconn* connection = PQconnectdb(connection_string.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(connection);
    return Error{Errc::kUnavailable, "cannot connect to PostgreSQL: " + message};
  }
  auto database = std::make_unique<PostgresDatabase>(connection);
  // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(
      connection, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace medchain::store
