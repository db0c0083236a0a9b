// Plumbing shared by every `medchain` command: how a command reports failure, the exit codes,
// and the registry through which command groups add themselves.
//
// Exit codes (documented in docs/cli.md):
//   0  success
//   1  a check the user asked for came out negative (e.g. `util verify-message` on a
//      signature the address did not make), an I/O failure, or a failure of the chain: node
//      unreachable or timed out, a malformed or error reply, a reverted transaction
//   2  bad input: unknown option, malformed hex/number/JSON/signature, missing file, no such
//      key, wrong password
//   3  not signed in: no session for the account, or the node no longer accepts it (expired,
//      logged out): run `medchain login`
//   4  permission denied: the node or the chain refused the caller (no grant, not the patient,
//      not a registrar)
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <medchain/core/result.hpp>
#include <string>

namespace medchain::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNegative = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitUnauthenticated = 3;
inline constexpr int kExitPermissionDenied = 4;

// A command's body. It writes its output to stdout and returns ok, or returns the Error to
// report (one line on stderr).
using Action = std::function<Status()>;

// Makes `action` run when `command` is the one the user invoked.
void on_run(CLI::App* command, Action action);

// The exit code for a failed command: 1 for negative checks, I/O, chain and node failures
// (unreachable, not found, too large, a ciphertext that does not decrypt), 3 for a missing or
// rejected session, 4 for a refusal, 2 for every input error.
int exit_code_for(Errc code) noexcept;

// Runs the CLI: parses argv, runs the chosen action, prints any error as one line on stderr
// and returns the process exit code.
int run(CLI::App& app, int argc, char** argv);

// Command groups register an installer that adds their subcommands under a parent, e.g.
//   const bool kRegistered = register_util_group(&add_keccak_commands);
using GroupInstaller = void (*)(CLI::App& parent);
bool register_util_group(GroupInstaller installer);
void install_util_groups(CLI::App& util);
// The same for top-level commands (`medchain dev`, `medchain keys`, ...).
bool register_top_level_group(GroupInstaller installer);
void install_top_level_groups(CLI::App& app);

// A password: from the environment variable `env_var` when set (for scripts), else typed at
// the terminal without echo. kInvalidArgument when neither is available.
Result<std::string> read_password(const std::string& prompt, const char* env_var);

// Reads a whole file, or stdin for "-".
Result<std::string> read_input(const std::string& path);

}  // namespace medchain::cli
