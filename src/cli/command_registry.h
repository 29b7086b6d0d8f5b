// One registration function per command file (commands.cpp calls them all).
#pragma once

namespace CLI {
class App;
}

namespace corral::cli {

void add_run_command(CLI::App& app);        // run_cmd.cpp
void add_create_command(CLI::App& app);     // create_cmd.cpp
void add_show_command(CLI::App& app);       // show_cmd.cpp
void add_transfer_commands(CLI::App& app);  // transfer_cmds.cpp: pull, push
void add_model_commands(CLI::App& app);     // model_cmds.cpp: list/ls, ps, cp, rm, stop
void add_help_command(CLI::App& app);       // help_cmd.cpp

}  // namespace corral::cli
