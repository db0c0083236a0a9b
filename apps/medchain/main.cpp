// medchain, the command line. main() only assembles the command tree; each group of
// commands lives in its own file and registers itself (see cli.hpp).
#include "cli.hpp"
#include "client_context.hpp"

int main(int argc, char** argv) {
  CLI::App app{"medchain: patient-owned medical records on an EVM chain"};
  app.set_version_flag("--version", "medchain 0.1.0");
  app.require_subcommand(1);
  CLI::App* util = app.add_subcommand(
      "util", "Ethereum primitives with the inputs and outputs of foundry's `cast`");
  util->require_subcommand(1);
  medchain::cli::install_util_groups(*util);
  medchain::cli::add_context_options(app);
  medchain::cli::install_top_level_groups(app);
  return medchain::cli::run(app, argc, argv);
}
