// `corral help [command]`: the help of the program or of one command.
#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/response_printer.h"
#include "util/error.h"

namespace corral::cli {

void add_help_command(CLI::App& app) {
  auto topic = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("help", "Help about any command");
  cmd->add_option("command", *topic, "The command to explain");
  CLI::App* root = &app;
  cmd->callback([root, topic] {
    CLI::App* target = root;
    for (const auto& name : *topic) {
      CLI::App* sub = nullptr;
      try {
        sub = target->get_subcommand(name);
      } catch (const CLI::OptionNotFound&) {
        fail("unknown command \"{}\" (see 'corral help')", name);
      }
      target = sub;
    }
    write_stdout(target->help());
  });
}

}  // namespace corral::cli
