// Turning a parsed Modelfile into a CreateRequest, as Ollama's client does:
// FROM paths that exist become files (a directory contributes its weights,
// JSON configs and tokenizer files), others become the base model name;
// PARAMETER values are typed (stop accumulates, deprecated names are skipped
// with a warning); REQUIRES must be a semver. Local files are named in the
// request relative to their common directory; the caller decides how a local
// file reaches the store (upload, or Store::import_file which links it).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "store/create_request.h"
#include "store/modelfile.h"

namespace corral::store {

struct ModelfileRequestOptions {
  // Directory relative FROM/ADAPTER paths are resolved against (the Modelfile's).
  std::filesystem::path base_dir = ".";
  // Returns "sha256:<hex>" of a local file; the default hashes it. Pass a
  // function that imports into a store (or uploads) to do both at once.
  std::function<std::string(const std::filesystem::path&)> digest_file;
};

struct ModelfileRequest {
  CreateRequest request;
  // Request file name -> local file behind it (files and adapters).
  std::map<std::string, std::filesystem::path> local_files;
  std::map<std::string, std::filesystem::path> local_adapters;
  std::vector<std::string> warnings;  // "warning: parameter mirostat is deprecated"
};

// Errors: "requires must be a valid semver (e.g. 0.14.0)", the parameter
// errors of format_parameter, "no Modelfile or safetensors files found",
// "insecure path: <rel>", and file-system errors naming the path.
ModelfileRequest modelfile_to_request(const Modelfile& modelfile, const ModelfileRequestOptions& options = {});

// Ollama's FROM path expansion: absolute stays, "~" and "~user" expand,
// everything else is relative to base_dir; the result is absolute and clean.
std::filesystem::path expand_modelfile_path(const std::string& path, const std::filesystem::path& base_dir);

// The files a model directory contributes, in Ollama's priority order.
std::vector<std::filesystem::path> files_for_model_dir(const std::filesystem::path& dir);

// golang.org/x/mod/semver IsValid on "v"+s (s may already start with "v").
bool is_valid_semver(std::string_view s);

}  // namespace corral::store
