// What the store reports about a GGUF weights file (model details, config
// fields, layer kind): architecture, parameter count in Ollama's human form
// ("2.89M", "8.0B"), quantization level (llama_ftype names), context and
// embedding length, and whether it is an adapter or a projector.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corral::gguf {
class File;
}

namespace corral::store {

// llama_ftype number -> name ("Q4_K_M"); "unknown" for numbers it lacks.
std::string file_type_name(std::uint32_t file_type);
// Name -> llama_ftype number (case-insensitive), nullopt if unknown.
std::optional<std::uint32_t> file_type_from_name(std::string_view name);

// Ollama's format.HumanNumber: 2885888 -> "2.89M", 8030261248 -> "8.0B", 567000000 -> "567M".
std::string human_number(std::uint64_t n);

struct GgufDetails {
  std::string architecture;        // general.architecture
  std::string kind;                // general.type ("model", "adapter", "projector", ...), "" if absent
  std::uint64_t parameter_count = 0;  // sum of tensor elements (as Ollama computes it)
  std::string parameter_size;      // human_number(parameter_count)
  std::string file_type;           // from general.file_type; "unknown" if absent
  std::int64_t context_length = 0;    // <arch>.context_length
  std::int64_t embedding_length = 0;  // <arch>.embedding_length
  std::string chat_template;          // tokenizer.chat_template
  bool is_adapter = false;
  bool is_projector = false;  // an mmproj / vision or audio encoder without a text model
};

GgufDetails gguf_details(const gguf::File& f);

}  // namespace corral::store
