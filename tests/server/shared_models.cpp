// The shared test store and fake-engine factory.
#include "shared_models.h"

#include "gguf/gguf_file.h"
#include "test_server.h"
#include "tokenizer/tokenizer.h"

namespace corral::server::test {

const std::filesystem::path& shared_models_dir() {
  static corral::test::TempDir dir;
  static const std::filesystem::path models = [] {
    const auto m = dir.path() / "models";
    add_model(m, dir.path(), "tiny");
    add_model(m, dir.path(), "plain", "");
    add_model(m, dir.path(), "other", kChatTemplate, nullptr, 7);
    return m;
  }();
  return models;
}

EngineFactory fake_factory(std::shared_ptr<FakeStats> stats, FakeScript script) {
  return [stats, script](const LoadSpec& spec) -> std::shared_ptr<Engine> {
    auto tok = tokenizer::Tokenizer::from_gguf(gguf::File::open(spec.model_path.string()));
    return std::make_shared<FakeEngine>(stats, tok, script, spec);
  };
}

}  // namespace corral::server::test
