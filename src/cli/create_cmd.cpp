// `corral create MODEL [-f Modelfile] [-q type]`: the Modelfile is read
// here, as Ollama's client does; local files it names (FROM ./x.gguf,
// ADAPTER) are hashed and uploaded to /api/blobs unless the server has them
// already; then /api/create builds the model, its progress shown as it goes.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/command_registry.h"
#include "cli/model_requests.h"
#include "cli/progress_display.h"
#include "cli/server_autostart.h"
#include "store/modelfile.h"
#include "store/modelfile_request.h"
#include "store/name.h"
#include "util/sha256.h"

namespace corral::cli {

namespace {

struct CreateFlags {
  std::string model;
  std::string file;
  std::string quantize;
};

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail("cannot read the Modelfile {}", p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Uploads each local file the server does not have yet, with a spinner
// "copying file sha256:<hex> NN%".
void upload_files(const ApiClient& client, ProgressDisplay& display,
                  const std::map<std::string, std::string>& digests,
                  const std::map<std::string, std::filesystem::path>& local) {
  for (const auto& entry : digests) {
    // Named copies, not bindings: clang 14 cannot capture structured bindings in lambdas.
    const std::string& name = entry.first;
    const std::string& digest = entry.second;
    const auto it = local.find(name);
    if (it == local.end()) continue;
    if (client.has_blob(digest)) continue;
    const int spinner = display.add_spinner(fmt::format("copying file {} 0%", digest));
    int last = -1;
    client.upload_blob(digest, it->second, [&](std::uint64_t sent, std::uint64_t total) {
      const int pct = total ? static_cast<int>(sent * 100 / total) : 100;
      if (pct != last) {
        display.set_spinner_message(spinner, fmt::format("copying file {} {}%", digest, pct));
        last = pct;
      }
    });
    display.set_spinner_message(spinner, fmt::format("copying file {} 100%", digest));
    display.stop_spinner(spinner);
  }
}

void create_model(const CreateFlags& f) {
  if (!store::ModelName::parse(f.model).is_valid()) fail("invalid model name: {}", f.model);

  std::string text;
  std::filesystem::path base_dir = std::filesystem::current_path();
  if (!f.file.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(f.file, ec)) fail("specified Modelfile wasn't found: {}", f.file);
    text = read_text(f.file);
    base_dir = std::filesystem::absolute(f.file).parent_path();
  } else if (std::filesystem::exists("Modelfile")) {
    text = read_text("Modelfile");
  } else {
    text = "FROM .\n";
  }
  const store::Modelfile modelfile = store::parse_modelfile(text);

  ApiClient client = connect_to_server();
  ProgressDisplay display;
  store::ModelfileRequest mr;
  {
    const int gathering = display.add_spinner("gathering model components");
    store::ModelfileRequestOptions options;
    options.base_dir = base_dir;
    try {
      mr = store::modelfile_to_request(modelfile, options);
      for (const auto& w : mr.warnings) display.add_spinner(w);
      mr.request.model = f.model;
      if (!f.quantize.empty()) mr.request.quantize = f.quantize;
      upload_files(client, display, mr.request.files, mr.local_files);
      upload_files(client, display, mr.request.adapters, mr.local_adapters);
    } catch (...) {
      display.stop();
      throw;
    }
    display.stop_spinner(gathering);
  }
  display.stop();
  create_with_progress(client, mr.request);
}

}  // namespace

void add_create_command(CLI::App& app) {
  auto flags = std::make_shared<CreateFlags>();
  auto* cmd = app.add_subcommand("create", "Create a model from a Modelfile");
  cmd->add_option("model", flags->model, "Name of the new model")->required();
  cmd->add_option("-f,--file", flags->file, "The Modelfile (default: ./Modelfile, else FROM .)");
  cmd->add_option("-q,--quantize", flags->quantize, "Quantize the weights (e.g. q4_K_M, q8_0)");
  cmd->footer("Environment: OLLAMA_HOST (server address, default 127.0.0.1:11434)");
  cmd->callback([flags] { create_model(*flags); });
}

}  // namespace corral::cli
