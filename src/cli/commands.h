// The user commands of the corral binary (Ollama's CLI): run, create, show,
// pull, push, list/ls, ps, cp, rm, stop, help. `serve` comes from the server
// part; `bench` and `dev` from dev/.
#pragma once

namespace CLI {
class App;
}

namespace corral::cli {

void add_commands(CLI::App& app);

}  // namespace corral::cli
