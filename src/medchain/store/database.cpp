#include <medchain/store/database.hpp>

namespace medchain::store {

Result<std::unique_ptr<Database>> open_database(const std::string& location) {
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
    return open_postgres(location);
  }
  return open_sqlite(location);
}

Status Database::transaction(const std::function<Status()>& body) {
  MEDCHAIN_TRY_STATUS(execute(begin_statement(), {}));
  Status result = body();
  if (result.ok()) result = execute("COMMIT", {});
  if (!result.ok()) (void)execute("ROLLBACK", {});
  return result;
}

std::int64_t as_int(const SqlValue& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
  return 0;
}

const std::string& as_text(const SqlValue& value) {
  static const std::string kEmpty;
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return kEmpty;
}

}  // namespace medchain::store
