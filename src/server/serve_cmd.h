// `corral serve`: registers the command on the CLI app.
#pragma once

namespace CLI {
class App;
}

namespace corral::server {

void add_serve_command(CLI::App& app);

}  // namespace corral::server
