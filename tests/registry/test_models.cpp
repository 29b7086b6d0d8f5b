// Generated test models for registry tests.
#include "registry/test_models.h"

#include <fstream>
#include <sstream>

namespace corral::test {
namespace fs = std::filesystem;

store::CreateResult create_generated_model(const store::Store& store, const fs::path& scratch, const std::string& name,
                                           const dev::ModelSpec& spec) {
  fs::create_directories(scratch);
  const fs::path gguf = scratch / (spec.name + ".gguf");
  dev::generate_model(spec, gguf.string());
  const std::string digest = store.import_file(gguf).digest;
  store::CreateRequest r;
  r.model = name;
  r.files[gguf.filename().string()] = digest;
  r.template_text = "{{ .System }} USER: {{ .Prompt }} ASSISTANT:";
  r.system = "You answer briefly.";
  r.parameters = nlohmann::json{{"temperature", 0.25}, {"stop", {"USER:"}}};
  store::CreateOptions options;
  options.prune_replaced = false;
  return store::create_model(store, r, {}, options);
}

dev::ModelSpec tiny_spec() {
  dev::ModelSpec s;
  s.name = "tiny";
  s.hidden = 64;
  s.layers = 2;
  s.heads = 4;
  s.kv_heads = 2;
  s.ffn = 128;
  s.vocab_size = 512;
  s.type = "F32";
  return s;
}

dev::ModelSpec sized_spec(int mb) {
  dev::ModelSpec s = tiny_spec();
  s.name = "sized";
  s.hidden = 256;
  s.heads = 8;
  s.kv_heads = 4;
  s.ffn = 512;
  // Each layer holds about 4*h*h/2 (q,o + k,v at half) + 3*h*ffn floats.
  const std::int64_t per_layer = (2 * s.hidden * s.hidden + s.hidden * s.hidden + 3 * s.hidden * s.ffn) * 4;
  s.layers = std::max<std::int64_t>(1, (static_cast<std::int64_t>(mb) << 20) / per_layer);
  return s;
}

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> partial_files(const store::Store& store) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(store.blobs_dir(), ec)) {
    const std::string n = e.path().filename().string();
    if (n.size() > 8 && (n.find("-partial") != std::string::npos)) out.push_back(n);
  }
  return out;
}

}  // namespace corral::test
