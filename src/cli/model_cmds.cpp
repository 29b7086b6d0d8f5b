// `corral list|ls [prefix]`, `ps [prefix]`, `cp SRC DST`, `rm MODEL...` and
// `stop MODEL`. ps and stop do not start a server: with none running,
// nothing is loaded.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <cstdio>

#include "api/requests.h"
#include "api/responses.h"
#include "cli/command_registry.h"
#include "cli/model_lists.h"
#include "cli/model_requests.h"
#include "cli/response_printer.h"
#include "cli/server_autostart.h"

namespace corral::cli {

namespace {

void list_models(const std::string& prefix) {
  ApiClient client = connect_to_server();
  const auto models = api::parse_list_response(client.get("/api/tags"));
  write_stdout(render_model_list(models, prefix, std::chrono::system_clock::now()));
}

void list_running(const std::string& prefix) {
  std::vector<api::ProcessModel> models;
  try {
    ApiClient client = connect_to_server({.may_start = false});
    models = api::parse_process_response(client.get("/api/ps"));
  } catch (const ConnectionError& e) {
    std::fprintf(stderr, "%s: no model is loaded\n", e.what());
  }
  write_stdout(render_process_list(models, prefix, std::chrono::system_clock::now()));
}

void copy_model(const std::string& src, const std::string& dst) {
  ApiClient client = connect_to_server();
  api::CopyRequest req{src, dst};
  client.post("/api/copy", api::to_json(req));
  write_stdout(fmt::format("copied '{}' to '{}'\n", src, dst));
}

void remove_models(const std::vector<std::string>& names) {
  ApiClient client = connect_to_server();
  for (const auto& name : names) {
    try {
      unload_model(client, name);
    } catch (const std::exception& e) {
      if (!is_not_found(e)) std::fprintf(stderr, "Warning: unable to stop model '%s'\n", name.c_str());
    }
    api::DeleteRequest req{name};
    client.del("/api/delete", api::to_json(req));
    write_stdout(fmt::format("deleted '{}'\n", name));
  }
}

void stop_model(const std::string& name) {
  ApiClient client = connect_to_server({.may_start = false});
  try {
    unload_model(client, name);
  } catch (const std::exception& e) {
    if (is_not_found(e)) fail("couldn't find model \"{}\" to stop", name);
    throw;
  }
}

}  // namespace

void add_model_commands(CLI::App& app) {
  const char* env_footer = "Environment: OLLAMA_HOST (server address, default 127.0.0.1:11434)";

  auto list_prefix = std::make_shared<std::string>();
  auto* list = app.add_subcommand("list", "List the models on this machine");
  list->alias("ls");
  list->add_option("prefix", *list_prefix, "Only names starting with this (any case)");
  list->footer(env_footer);
  list->callback([list_prefix] { list_models(*list_prefix); });

  auto ps_prefix = std::make_shared<std::string>();
  auto* ps = app.add_subcommand("ps", "List the models loaded in memory");
  ps->add_option("prefix", *ps_prefix, "Only names starting with this");
  ps->footer(env_footer);
  ps->callback([ps_prefix] { list_running(*ps_prefix); });

  auto cp_args = std::make_shared<std::vector<std::string>>();
  auto* cp = app.add_subcommand("cp", "Copy a model (a new name for the same data)");
  cp->add_option("names", *cp_args, "SOURCE DESTINATION")->required()->expected(2);
  cp->footer(env_footer);
  cp->callback([cp_args] { copy_model((*cp_args)[0], (*cp_args)[1]); });

  auto rm_args = std::make_shared<std::vector<std::string>>();
  auto* rm = app.add_subcommand("rm", "Remove models");
  rm->add_option("models", *rm_args, "Model names")->required();
  rm->footer(env_footer);
  rm->callback([rm_args] { remove_models(*rm_args); });

  auto stop_name = std::make_shared<std::string>();
  auto* stop = app.add_subcommand("stop", "Unload a running model");
  stop->add_option("model", *stop_name, "Model name")->required();
  stop->footer(env_footer);
  stop->callback([stop_name] { stop_model(*stop_name); });
}

}  // namespace corral::cli
