// A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temporary directory,
// the server on a free loopback port, stopped and removed afterwards. Tests run it with fsync
// off (it holds nothing worth keeping); benchmarks with fsync on, as a server would. Debian's
// postgresql package provides the binaries (scripts/setup). As root, the cluster runs as the
// `postgres` system user, since initdb refuses root.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace medchain::test {

class TempPostgres {
 public:
  // Throws std::runtime_error when the cluster cannot be started.
  explicit TempPostgres(bool durable = false);
  ~TempPostgres();
  TempPostgres(const TempPostgres&) = delete;
  TempPostgres& operator=(const TempPostgres&) = delete;

  // Creates an empty database and returns its libpq connection string.
  std::string create_database();

 private:
  std::filesystem::path dir_;
  std::filesystem::path bin_;
  std::uint16_t port_ = 0;
  int databases_ = 0;
};

}  // namespace medchain::test
