// The GGUF-derived parts of /api/show: "model_info" (every metadata key, plus
// general.parameter_count, without general.name and tokenizer.chat_template;
// non-empty arrays are null unless verbose, as Ollama's decoder leaves them)
// and "tensors" ([{name, type, shape}]).
#pragma once

#include <nlohmann/json.hpp>

namespace corral::gguf {
class File;
}

namespace corral::store {

nlohmann::json gguf_model_info(const gguf::File& f, bool verbose);
nlohmann::json gguf_tensor_list(const gguf::File& f);

}  // namespace corral::store
