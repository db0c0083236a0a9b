#include "cli.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

namespace medchain::cli {
namespace {

std::vector<GroupInstaller>& util_groups() {
  static std::vector<GroupInstaller> groups;
  return groups;
}

std::vector<GroupInstaller>& top_level_groups() {
  static std::vector<GroupInstaller> groups;
  return groups;
}

Status& last_status() {
  static Status status;
  return status;
}

}  // namespace

int exit_code_for(Errc code) noexcept {
  switch (code) {
    case Errc::kCheckFailed:
    case Errc::kIo:
    case Errc::kUnavailable:
    case Errc::kTimeout:
    case Errc::kProtocol:
    case Errc::kRpcError:
    case Errc::kReverted:
    case Errc::kConflict:
    case Errc::kNotFound:
    case Errc::kTooLarge:
    case Errc::kDecryptFailed:
      return kExitNegative;
    case Errc::kUnauthenticated:
      return kExitUnauthenticated;
    case Errc::kPermissionDenied:
      return kExitPermissionDenied;
    default:
      return kExitBadInput;
  }
}

void on_run(CLI::App* command, Action action) {
  command->callback([action = std::move(action)] { last_status() = action(); });
}

int run(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "medchain: " << e.what() << " (see --help)\n";
    return kExitBadInput;
  }
  const Status& status = last_status();
  if (status.ok()) return kExitOk;
  std::cerr << "medchain: " << status.error().message << "\n";
  return exit_code_for(status.error().code);
}

bool register_util_group(GroupInstaller installer) {
  util_groups().push_back(installer);
  return true;
}

void install_util_groups(CLI::App& util) {
  for (GroupInstaller installer : util_groups()) installer(util);
}

bool register_top_level_group(GroupInstaller installer) {
  top_level_groups().push_back(installer);
  return true;
}

void install_top_level_groups(CLI::App& app) {
  for (GroupInstaller installer : top_level_groups()) installer(app);
}

Result<std::string> read_input(const std::string& path) {
  std::ostringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{Errc::kInvalidArgument, "cannot open " + path};
  buffer << file.rdbuf();
  if (file.bad()) return Error{Errc::kIo, "cannot read " + path};
  return buffer.str();
}

Result<std::string> read_password(const std::string& prompt, const char* env_var) {
  if (const char* value = std::getenv(env_var)) return std::string(value);
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    return Error{Errc::kInvalidArgument,
                 std::string("no terminal to ask for the password; set ") + env_var};
  }
  termios saved{};
  const bool is_terminal = ::tcgetattr(tty, &saved) == 0;
  if (is_terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  (void)!::write(tty, prompt.data(), prompt.size());
  std::string password;
  char c = 0;
  while (::read(tty, &c, 1) == 1 && c != '\n') password.push_back(c);
  if (is_terminal) ::tcsetattr(tty, TCSAFLUSH, &saved);
  (void)!::write(tty, "\n", 1);
  ::close(tty);
  return password;
}

}  // namespace medchain::cli
