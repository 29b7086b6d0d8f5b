// One temporary model store per test program, filled once: "tiny" (chat
// template with tools and thinking), "plain" (no template), "other" (another
// seed). Plus a factory for fake engines that use a model's real tokenizer.
#pragma once

#include <filesystem>
#include <memory>

#include "fake_engine.h"
#include "server/engine.h"
#include "testutil/temp_dir.h"

namespace corral::server::test {

// The store directory (created on first use).
const std::filesystem::path& shared_models_dir();

// An EngineFactory producing FakeEngines with `script` and the model's tokenizer.
EngineFactory fake_factory(std::shared_ptr<FakeStats> stats, FakeScript script);

}  // namespace corral::server::test
