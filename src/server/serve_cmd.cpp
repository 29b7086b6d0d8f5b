// `corral serve`: starts the Ollama-compatible API server on OLLAMA_HOST
// (default 127.0.0.1:11434) with the settings of the environment (see
// server_config.h). Stops on SIGINT/SIGTERM.
#include "server/serve_cmd.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "server/server.h"
#include "util/log.h"

namespace corral::server {

namespace {

Server* g_server = nullptr;

void on_signal(int) {
  if (g_server) g_server->stop();
}

void run_serve() {
  ServerOptions options;
  options.config = ServerConfig::from_env();
  Server server(std::move(options));
  server.bind();
  g_server = &server;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  server.listen();
  g_server = nullptr;
  log::info("server stopped");
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Start the Ollama-compatible API server (OLLAMA_HOST, default 127.0.0.1:11434)");
  cmd->alias("start");
  cmd->footer(
      "Environment: OLLAMA_HOST, OLLAMA_MODELS, OLLAMA_KEEP_ALIVE, OLLAMA_MAX_LOADED_MODELS, OLLAMA_NUM_PARALLEL,\n"
      "OLLAMA_MAX_QUEUE, OLLAMA_ORIGINS, OLLAMA_KV_CACHE_TYPE, OLLAMA_CONTEXT_LENGTH, OLLAMA_DEBUG, OLLAMA_NOPRUNE,\n"
      "CORRAL_API_KEYS (comma-separated bearer tokens), CORRAL_NUM_THREADS, CORRAL_HTTP_THREADS, CORRAL_MAX_REQUEST_MB");
  cmd->callback([] { run_serve(); });
}

}  // namespace corral::server
