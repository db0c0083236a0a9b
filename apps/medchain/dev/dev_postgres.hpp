// The PostgreSQL server of `medchain dev --nodes N` (N >= 2): one node keeps its index there, as
// a node sharing a database server would. Debian's binaries (pg_config --bindir; scripts/setup
// installs them) run a cluster kept in the dev data directory, so a restart resumes it; the
// server listens on a free loopback port and stops with `medchain dev`. As root the cluster runs
// as the `postgres` system user (initdb refuses root), so the data directory's parents must be
// searchable by that user (a directory under /tmp is; one under /root is not).
#pragma once

#include <filesystem>
#include <medchain/core/process.hpp>
#include <medchain/core/result.hpp>
#include <string>

namespace medchain::cli {

class DevPostgres {
 public:
  // Creates the cluster in `dir` on first use, starts the server and waits until it answers.
  static Result<DevPostgres> start(const std::filesystem::path& dir);

  // A libpq URL of database `name` on the server, created if it does not exist.
  Result<std::string> database(const std::string& name);

  // Stops the server (a smart shutdown: stop its clients first).
  void stop() { server_.stop(std::chrono::seconds(30)); }

  std::uint16_t port() const { return port_; }

 private:
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  ChildProcess server_;
};

}  // namespace medchain::cli
