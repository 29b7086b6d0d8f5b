// corral: entry point. Parses the command line and dispatches to the user
// commands (cli/) and developer commands (dev/); errors print one line.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "dev/dev_commands.h"
#include "util/error.h"
#ifdef CORRAL_HAVE_CLI
#include "cli/commands.h"
#endif
#ifdef CORRAL_HAVE_SERVER
#include "server/serve_cmd.h"
#endif

int main(int argc, char** argv) {
  CLI::App app{"corral: run large language models locally (Ollama-compatible)", "corral"};
  app.set_version_flag("-v,--version", std::string("corral version is ") + CORRAL_VERSION);
  app.require_subcommand(0, 1);
#ifdef CORRAL_HAVE_CLI
  corral::cli::add_commands(app);
#endif
#ifdef CORRAL_HAVE_SERVER
  corral::server::add_serve_command(app);
#endif
  corral::dev::add_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const corral::Error& e) {
    std::fprintf(stderr, "Error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Error: %s\n", e.what());
    return 1;
  }
  if (argc == 1) {
    std::printf("%s", app.help().c_str());
  }
  return 0;
}
