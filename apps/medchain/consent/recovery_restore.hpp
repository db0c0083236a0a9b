// `medchain recovery restore` (recovery_restore.cpp), added under `medchain recovery` by
// recovery_commands.cpp.
#pragma once

#include "cli.hpp"

namespace medchain::cli {

void add_recovery_restore_command(CLI::App& recovery);

}  // namespace medchain::cli
