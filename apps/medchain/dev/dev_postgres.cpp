#include "dev/dev_postgres.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <medchain/store/database.hpp>
#include <sstream>
#include <thread>

namespace medchain::cli {
namespace {

namespace fs = std::filesystem;
constexpr const char* kUser = "medchain";

// argv as the postgres system user when we are root: setpriv execs in place, so the server is
// our child itself and SIGTERM reaches it.
std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres",
                             "--init-groups", "--"});
  return argv;
}

std::string read_all(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs argv to its end (up to `deadline`), its output appended to `log`; its exit status.
Result<int> run_to_end(const std::vector<std::string>& argv, const fs::path& log,
                       std::chrono::seconds deadline) {
  MEDCHAIN_TRY(ChildProcess child, ChildProcess::spawn(argv, log));
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  while (child.running()) {
    if (std::chrono::steady_clock::now() > give_up) {
      child.stop();
      return Error{Errc::kTimeout, argv[0] + " did not finish; see " + log.string()};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return child.stop();
}

Result<fs::path> bin_dir(const fs::path& log) {
  const fs::path out = log.parent_path() / "pg_config.out";
  MEDCHAIN_TRY(int status, run_to_end({"/usr/bin/pg_config", "--bindir"}, out,
                                      std::chrono::seconds(10)));
  std::string text = read_all(out);
  fs::remove(out);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (status != 0 || text.empty()) {
    return Error{Errc::kNotFound, "PostgreSQL's pg_config is missing (run scripts/setup)"};
  }
  return fs::path(text);
}

std::string base_url(std::uint16_t port) {
  return "postgresql://" + std::string(kUser) + "@127.0.0.1:" + std::to_string(port) + "/";
}

}  // namespace

Result<DevPostgres> DevPostgres::start(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{Errc::kIo, "cannot create " + dir.string() + ": " + ec.message()};
  const fs::path log = dir / "postgres.log";
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) return Error{Errc::kNotFound, "no postgres system user (scripts/setup)"};
    std::ofstream(log, std::ios::app).close();
    if (::chown(dir.c_str(), user->pw_uid, user->pw_gid) != 0 ||
        ::chown(log.c_str(), user->pw_uid, user->pw_gid) != 0) {
      return Error{Errc::kIo, "cannot give " + dir.string() + " to the postgres user"};
    }
  }
  MEDCHAIN_TRY(fs::path bin, bin_dir(dir / "setup.log"));
  const fs::path data = dir / "data";
  if (!fs::exists(data / "PG_VERSION")) {
    fs::remove_all(data, ec);  // a half-made cluster of an interrupted first start
    MEDCHAIN_TRY(int status,
                 run_to_end(as_server_user({(bin / "initdb").string(), "-D", data.string(), "-A",
                                            "trust", "-U", kUser, "-E", "UTF8"}),
                            dir / "setup.log", std::chrono::seconds(120)));
    if (status != 0) {
      return Error{Errc::kIo, "initdb failed in " + data.string() + "; see " +
                                  (dir / "setup.log").string() +
                                  " (as root, the postgres user must reach the directory)"};
    }
  }
  DevPostgres postgres;
  postgres.dir_ = dir;
  MEDCHAIN_TRY(postgres.port_, pick_free_loopback_port());
  // TCP on loopback only: no Unix socket, whose path a deep data directory would make too long.
  MEDCHAIN_TRY(postgres.server_,
               ChildProcess::spawn(
                   as_server_user({(bin / "postgres").string(), "-D", data.string(), "-h",
                                   "127.0.0.1", "-p", std::to_string(postgres.port_), "-k", ""}),
                   log));
  for (int attempt = 0; attempt < 600; ++attempt) {
    if (store::open_postgres(base_url(postgres.port_) + "postgres").ok()) return postgres;
    if (!postgres.server_.running()) {
      return Error{Errc::kIo, "PostgreSQL exited; see " + log.string()};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Error{Errc::kTimeout, "PostgreSQL did not answer; see " + log.string()};
}

Result<std::string> DevPostgres::database(const std::string& name) {
  MEDCHAIN_TRY(auto admin, store::open_postgres(base_url(port_) + "postgres"));
  MEDCHAIN_TRY(std::vector<store::SqlRow> found,
               admin->query("SELECT 1 FROM pg_database WHERE datname = ?", {name}));
  if (found.empty()) MEDCHAIN_TRY_STATUS(admin->execute("CREATE DATABASE " + name));
  return base_url(port_) + name;
}

}  // namespace medchain::cli
