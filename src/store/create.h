// create_model: builds a model in the store from a CreateRequest, as Ollama's
// /api/create does: base layers from an existing model (shared blobs, with
// its template/system/params/messages/licenses inherited) or from GGUF /
// safetensors files already in the store; optional quantization; the
// template, system prompt, licenses, parameters (merged over inherited ones,
// the request winning) and messages layered on top; a config blob; the
// manifest. Progress is reported as Ollama's create status stream.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/create_request.h"
#include "store/manifest.h"
#include "store/name.h"
#include "store/store.h"

namespace corral::gguf {
class Writer;
}

namespace corral::store {

// One status line of the stream (api.ProgressResponse): {"status":...} or,
// for long steps, with digest/total/completed.
struct CreateProgress {
  std::string status;
  std::string digest;
  std::int64_t total = 0;
  std::int64_t completed = 0;
};
using CreateProgressFn = std::function<void(const CreateProgress&)>;

// A GGUF chat template recognised as one of Ollama's named templates.
struct NamedTemplate {
  std::string name;               // "llama3-instruct"
  std::string template_text;      // the Go template
  std::vector<std::string> stop;  // its stop list
};

// Output tensor type of a safetensors conversion.
enum class ConvertType { f16, bf16, f32 };

struct CreateOptions {
  // Delete blobs only the replaced manifest used (off under OLLAMA_NOPRUNE).
  bool prune_replaced = true;
  // Maps a GGUF tokenizer.chat_template to a named template (src/template
  // provides it). Without it no template is auto-detected.
  std::function<std::optional<NamedTemplate>(std::string_view chat_template)> detect_template;
  // Throws Error(message) if a Go template does not parse; the create then
  // fails with "template error: <message>". Without it templates are stored unchecked.
  std::function<void(std::string_view go_template)> validate_template;
  // Brings a missing FROM model into the store (a registry pull), reporting
  // through the same progress stream. Without it a missing model is an error.
  std::function<void(const ModelName& name, const CreateProgressFn& progress)> pull;
  // Threads for quantization (<= 0: all cores).
  int threads = 0;
  // Tensor type of 2-D weights converted from safetensors (F16 like Ollama;
  // BF16 sources stay BF16 unless f32 is asked for).
  ConvertType convert_type = ConvertType::f16;
  // Writes tokenizer.ggml.* for a converted folder; default: src/tokenizer's
  // import (see convert_hf.h).
  std::function<void(const std::filesystem::path& dir, gguf::Writer& writer)> convert_tokenizer;
};

// Options with prune_replaced set from OLLAMA_NOPRUNE, and (when src/template
// is built in) Ollama's named-template detection and Go template parsing.
CreateOptions default_create_options();

struct CreateResult {
  ModelName name;           // as stored (case-resolved)
  std::string digest_hex;   // SHA-256 of the manifest written
  Manifest manifest;
};

// Errors: BadRequestError ("invalid model name", "neither 'from' or 'files'
// was specified", "unknown type", "supplied file was not in GGUF format",
// "only one adapter is currently supported", "template error: ...",
// "unsupported quantization type ..."), NotFoundError (FROM model missing),
// Error otherwise. On error no manifest is written; blobs written on the way
// are left for the start-up prune, as Ollama leaves them.
CreateResult create_model(const Store& store, const CreateRequest& request, const CreateProgressFn& progress,
                          const CreateOptions& options = default_create_options());

// Quantization types accepted by create (those the quantizer supports), upper case.
std::vector<std::string> supported_quantize_types();

}  // namespace corral::store
