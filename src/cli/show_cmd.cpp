// `corral show MODEL`: the model's details, or one of its parts with
// --license, --modelfile, --parameters, --system or --template; -v adds the
// metadata and tensor tables.
#include <CLI/CLI.hpp>

#include "cli/command_registry.h"
#include "cli/model_requests.h"
#include "cli/response_printer.h"
#include "cli/server_autostart.h"
#include "cli/show_info.h"

namespace corral::cli {

namespace {

struct ShowFlags {
  std::string model;
  bool license = false, modelfile = false, parameters = false, system = false, template_ = false, verbose = false;
};

void show(const ShowFlags& f) {
  const int chosen = f.license + f.modelfile + f.parameters + f.system + f.template_;
  if (chosen > 1)
    fail("only one of '--license', '--modelfile', '--parameters', '--system', or '--template' can be specified");
  ApiClient client = connect_to_server();
  const api::ShowResponse r = show_model(client, f.model, f.verbose);
  if (f.license) write_stdout(r.license + "\n");
  else if (f.modelfile) write_stdout(r.modelfile + "\n");
  else if (f.parameters) write_stdout(r.parameters + "\n");
  else if (f.system) write_stdout(r.system);
  else if (f.template_) write_stdout(r.template_text);
  else write_stdout(render_show_info(r, f.verbose));
}

}  // namespace

void add_show_command(CLI::App& app) {
  auto flags = std::make_shared<ShowFlags>();
  auto* cmd = app.add_subcommand("show", "Show information about a model");
  cmd->add_option("model", flags->model, "Model name")->required();
  cmd->add_flag("--license", flags->license, "Show the license");
  cmd->add_flag("--modelfile", flags->modelfile, "Show the Modelfile");
  cmd->add_flag("--parameters", flags->parameters, "Show the parameters");
  cmd->add_flag("--system", flags->system, "Show the system message");
  cmd->add_flag("--template", flags->template_, "Show the prompt template");
  cmd->add_flag("-v,--verbose", flags->verbose, "Also show the metadata and tensors");
  cmd->footer("Environment: OLLAMA_HOST (server address, default 127.0.0.1:11434)");
  cmd->callback([flags] { show(*flags); });
}

}  // namespace corral::cli
