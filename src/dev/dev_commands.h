// Registers the `corral dev ...` developer subcommands on the CLI app.
#pragma once

namespace CLI {
class App;
}

namespace corral::dev {

void add_commands(CLI::App& app);

}  // namespace corral::dev
