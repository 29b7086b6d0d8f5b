// `corral pull MODEL` and `corral push MODEL`: registry transfers done by
// the server, shown here as Ollama's progress bars.
#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/model_requests.h"
#include "cli/response_printer.h"
#include "cli/server_autostart.h"
#include "store/name.h"

namespace corral::cli {

namespace {

struct TransferFlags {
  std::string model;
  bool insecure = false;
};

void push(const TransferFlags& f) {
  ApiClient client = connect_to_server();
  push_with_progress(client, f.model, f.insecure);
  const store::ModelName n = store::ModelName::parse(f.model);
  std::string destination = n.to_string();
  auto ends_with = [](const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(n.host, ".ollama.ai") || ends_with(n.host, ".ollama.com")) {
    std::string shortest = n.display_shortest();
    if (ends_with(shortest, ":latest")) shortest.resize(shortest.size() - 7);
    destination = "https://ollama.com/" + shortest;
  }
  write_stdout("\nYou can find your model at:\n\n\t" + destination + "\n");
}

}  // namespace

void add_transfer_commands(CLI::App& app) {
  auto pull_flags = std::make_shared<TransferFlags>();
  auto* pull = app.add_subcommand("pull", "Pull a model from a registry");
  pull->add_option("model", pull_flags->model, "Model name ([host/][namespace/]model[:tag])")->required();
  pull->add_flag("--insecure", pull_flags->insecure, "Allow an insecure (http) registry");
  pull->footer("Environment: OLLAMA_HOST (server address, default 127.0.0.1:11434)");
  pull->callback([pull_flags] {
    ApiClient client = connect_to_server();
    pull_with_progress(client, pull_flags->model, pull_flags->insecure);
  });

  auto push_flags = std::make_shared<TransferFlags>();
  auto* push_cmd = app.add_subcommand("push", "Push a model to a registry");
  push_cmd->add_option("model", push_flags->model, "Model name (host/namespace/model[:tag])")->required();
  push_cmd->add_flag("--insecure", push_flags->insecure, "Allow an insecure (http) registry");
  push_cmd->footer("Environment: OLLAMA_HOST (server address, default 127.0.0.1:11434)");
  push_cmd->callback([push_flags] { push(*push_flags); });
}

}  // namespace corral::cli
