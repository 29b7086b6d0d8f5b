// Test models for registry tests: a generated GGUF (dev::generate_model)
// created in a store as Ollama's create would, with template, system and
// parameter layers; and helpers that compare two stores' copies byte for byte.
#pragma once

#include <filesystem>
#include <string>

#include "dev/model_generator.h"
#include "store/create.h"
#include "store/store.h"

namespace corral::test {

// Generates a GGUF in `scratch` from `spec` and creates `name` from it.
store::CreateResult create_generated_model(const store::Store& store, const std::filesystem::path& scratch,
                                           const std::string& name, const dev::ModelSpec& spec);

// A small spec (about 0.6 MB) and a larger one (about `mb` MB of F32 weights).
dev::ModelSpec tiny_spec();
dev::ModelSpec sized_spec(int mb);

// Whole file contents.
std::string file_bytes(const std::filesystem::path& p);

// Files in blobs/ whose names end in "-partial" or contain "-partial-".
std::vector<std::string> partial_files(const store::Store& store);

}  // namespace corral::test
