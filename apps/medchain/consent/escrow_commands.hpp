// `medchain emergency escrow set | show` and `medchain emergency read` (docs/cli.md,
// "Emergency escrow"), added under `medchain emergency` by emergency_commands.cpp.
#pragma once

#include "cli.hpp"

namespace medchain::cli {

void add_escrow_commands(CLI::App& emergency);

}  // namespace medchain::cli
