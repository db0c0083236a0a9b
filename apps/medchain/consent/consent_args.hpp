// Options shared by the consent commands (access, emergency, guardians): the terms of a grant
// as people type them (client/consent_terms.hpp) and the time they run out.
#pragma once

#include <chrono>
#include <cstdint>
#include <medchain/client/consent_terms.hpp>
#include <string>

#include "cli.hpp"

namespace medchain::cli {

struct Terms {
  std::string scope;     // --scope lab,imaging
  bool read = false;     // --read
  bool append = false;   // --append
  std::string duration;  // --for 7d

  // The contract's permission bits: READ 1, APPEND 2; read alone when neither flag is given.
  std::uint8_t permissions() const { return (read || !append ? 1 : 0) | (append ? 2 : 0); }
};

// Adds --scope, --read, --append and --for to `cmd`; `required` makes --scope and --for so.
inline void add_terms_options(CLI::App* cmd, Terms& terms, bool required) {
  auto* scope = cmd->add_option("--scope", terms.scope,
                                "Categories, e.g. lab,imaging (or all); see docs/cli.md");
  cmd->add_flag("--read", terms.read, "Permission to read the scope's records (the default)");
  cmd->add_flag("--append", terms.append, "Permission to add records");
  auto* duration = cmd->add_option("--for", terms.duration, "How long, e.g. 7d, 24h, 90m");
  if (required) {
    scope->required();
    duration->required();
  }
}

// The scope of `terms`, or 0 when it only appends (the contract wants no scope then).
inline Result<std::uint16_t> terms_scope(const Terms& terms) {
  if (terms.permissions() == 2 && terms.scope.empty()) return std::uint16_t{0};
  return client::parse_scope(terms.scope);
}

inline std::uint64_t unix_now() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace medchain::cli
