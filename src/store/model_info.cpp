// GGUF metadata and tensor table as /api/show reports them.
#include "store/model_info.h"

#include <cstdlib>

#include "gguf/gguf_file.h"
#include "gguf/tensor_type.h"
#include "store/go_format.h"

namespace corral::store {
namespace {

nlohmann::json scalar(const gguf::Value& v) {
  using gguf::ValueType;
  switch (v.type()) {
    case ValueType::FLOAT32: {
      // Go keeps float32: its shortest digits are what the JSON shows.
      const std::string s = go::format_float(v.as_f64(), 'e', 32);
      return std::strtod(s.c_str(), nullptr);
    }
    case ValueType::FLOAT64: return v.as_f64();
    case ValueType::BOOL: return v.as_bool();
    case ValueType::STRING: return v.as_string();
    case ValueType::INT8:
    case ValueType::INT16:
    case ValueType::INT32:
    case ValueType::INT64: return v.as_i64();
    default: return v.as_u64();
  }
}

nlohmann::json value_json(const gguf::Value& v, bool verbose) {
  if (!v.is_array()) return scalar(v);
  const gguf::Array& a = v.as_array();
  if (!verbose && !a.items.empty()) return nullptr;
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& item : a.items) arr.push_back(value_json(item, verbose));
  return arr;
}

}  // namespace

nlohmann::json gguf_model_info(const gguf::File& f, bool verbose) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& kv : f.metadata()) {
    if (kv.key == "general.name" || kv.key == "tokenizer.chat_template") continue;
    out[kv.key] = value_json(kv.value, verbose);
  }
  std::uint64_t params = 0;
  for (const auto& t : f.tensors()) params += t.n_elements;
  out["general.parameter_count"] = params;
  return out;
}

nlohmann::json gguf_tensor_list(const gguf::File& f) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : f.tensors()) {
    nlohmann::json shape = nlohmann::json::array();
    for (auto d : t.dims) shape.push_back(static_cast<std::uint64_t>(d));
    out.push_back({{"name", t.name}, {"type", std::string(type_name(t.type))}, {"shape", shape}});
  }
  return out;
}

}  // namespace corral::store
