// Registers the user commands (see commands.h).
#include "cli/commands.h"

#include <CLI/CLI.hpp>

#include "cli/command_registry.h"

namespace corral::cli {

void add_commands(CLI::App& app) {
  add_run_command(app);
  add_create_command(app);
  add_show_command(app);
  add_transfer_commands(app);
  add_model_commands(app);
  add_help_command(app);
}

}  // namespace corral::cli
