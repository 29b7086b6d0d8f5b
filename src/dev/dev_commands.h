// Registers the `corral dev ...` developer subcommands on the CLI app.
#pragma once

namespace CLI {
class App;
}

namespace corral::dev {

void add_commands(CLI::App& app);

// Individual commands (one file each).
void add_gen_model_command(CLI::App& dev);
void add_generate_command(CLI::App& dev);
// `corral bench` is a top-level command.
void add_bench_command(CLI::App& app);

}  // namespace corral::dev
