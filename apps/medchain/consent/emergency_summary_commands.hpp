// `medchain emergency summary set | show` (docs/cli.md, "Emergency summary"), added under
// `medchain emergency` by emergency_commands.cpp.
#pragma once

#include "cli.hpp"

namespace medchain::cli {

void add_emergency_summary_commands(CLI::App& emergency);

}  // namespace medchain::cli
