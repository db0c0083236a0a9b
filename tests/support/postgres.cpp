#include "support/postgres.hpp"

#include <unistd.h>

#include <medchain/core/process.hpp>
#include <medchain/store/database.hpp>
#include <stdexcept>

#include "support/process.hpp"

namespace medchain::test {
namespace {

namespace fs = std::filesystem;
constexpr const char* kUser = "medchain";

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// argv, run as the postgres system user when we are root.
std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  return argv;
}

void must_run(const std::vector<std::string>& argv, const char* what) {
  const ProcessResult result = run_process(argv, std::chrono::seconds(60));
  if (result.exit_code != 0) {
    throw std::runtime_error(std::string(what) + " failed: " + result.out + result.err);
  }
}

}  // namespace

TempPostgres::TempPostgres(bool durable) {
  const ProcessResult bindir = run_process({"/usr/bin/pg_config", "--bindir"});
  if (bindir.exit_code != 0) throw std::runtime_error("pg_config not found (run scripts/setup)");
  bin_ = trimmed(bindir.out);
  char pattern[] = "/tmp/medchain-pg-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  if (::geteuid() == 0) must_run({"/bin/chown", "postgres:postgres", dir_.string()}, "chown");
  port_ = pick_free_loopback_port().value();
  must_run(as_server_user({(bin_ / "initdb").string(), "-D", (dir_ / "data").string(), "-A",
                           "trust", "-U", kUser, "-E", "UTF8", "--no-sync"}),
           "initdb");
  must_run(as_server_user({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-l",
                           (dir_ / "server.log").string(), "-w", "-o",
                           "-h 127.0.0.1 -p " + std::to_string(port_) + " -k " + dir_.string() +
                               (durable ? "" : " -F"),
                           "start"}),
           "starting PostgreSQL");
}

TempPostgres::~TempPostgres() {
  run_process(as_server_user({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m",
                              "immediate", "-w", "stop"}));
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string TempPostgres::create_database() {
  const std::string name = "medchain_" + std::to_string(++databases_);
  const std::string base =
      "postgresql://" + std::string(kUser) + "@127.0.0.1:" + std::to_string(port_) + "/";
  auto admin = store::open_postgres(base + "postgres");
  if (!admin.ok()) throw std::runtime_error(admin.error().message);
  auto created = (*admin)->execute("CREATE DATABASE " + name);
  if (!created.ok()) throw std::runtime_error(created.error().message);
  return base + name;
}

}  // namespace medchain::test
