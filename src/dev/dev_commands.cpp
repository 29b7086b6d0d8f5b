// The `dev` command group: each developer command registers itself here.
#include "dev/dev_commands.h"

#include <CLI/CLI.hpp>

#include "dev/gguf_dump.h"
#include "dev/tokenize_cmd.h"

namespace corral::dev {

void add_commands(CLI::App& app) {
  CLI::App* dev = app.add_subcommand("dev", "Developer tools (model files, tokenizers, engine)");
  dev->require_subcommand(1);
  add_gguf_dump_command(*dev);
  add_tokenize_commands(*dev);
  add_gen_model_command(*dev);
  add_generate_command(*dev);
  add_bench_command(app);
}

}  // namespace corral::dev
