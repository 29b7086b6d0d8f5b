// Typed reading of Ollama option objects (api.Options.FromMap).
#include "api/options.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "store/model_options.h"
#include "util/error.h"
#include "util/log.h"

namespace corral::api {

namespace {

using store::OptionType;

std::int64_t as_int(const std::string& key, const nlohmann::ordered_json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    return u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
               ? std::numeric_limits<std::int64_t>::max()
               : static_cast<std::int64_t>(u);
  }
  if (v.is_number_float()) {
    // Go truncates float64 -> int64; out-of-range values saturate here.
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail("option \"{}\" must be of type integer", key);
    if (d >= 9.2e18) return std::numeric_limits<std::int64_t>::max();
    if (d <= -9.2e18) return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(d);
  }
  fail("option \"{}\" must be of type integer", key);
}

int as_int32(const std::string& key, const nlohmann::ordered_json& v) {
  const std::int64_t x = as_int(key, v);
  if (x > std::numeric_limits<int>::max()) return std::numeric_limits<int>::max();
  if (x < std::numeric_limits<int>::min()) return std::numeric_limits<int>::min();
  return static_cast<int>(x);
}

float as_float(const std::string& key, const nlohmann::ordered_json& v) {
  if (!v.is_number()) fail("option \"{}\" must be of type float32", key);
  return static_cast<float>(v.get<double>());
}

bool as_bool(const std::string& key, const nlohmann::ordered_json& v) {
  if (!v.is_boolean()) fail("option \"{}\" must be of type boolean", key);
  return v.get<bool>();
}

std::vector<std::string> as_strings(const std::string& key, const nlohmann::ordered_json& v) {
  if (!v.is_array()) fail("option \"{}\" must be of type array", key);
  std::vector<std::string> out;
  for (const auto& e : v) {
    if (!e.is_string()) fail("option \"{}\" must be of an array of strings", key);
    out.push_back(e.get<std::string>());
  }
  return out;
}

void apply_one(const std::string& key, const nlohmann::ordered_json& v, ModelOptions& o) {
  auto& s = o.sampling;
  auto& l = o.load;
  if (key == "num_ctx") l.num_ctx = as_int(key, v);
  else if (key == "num_batch") l.num_batch = as_int(key, v);
  else if (key == "num_gpu") l.num_gpu = as_int(key, v);
  else if (key == "main_gpu") l.main_gpu = as_int(key, v);
  else if (key == "use_mmap") l.use_mmap = as_bool(key, v);
  else if (key == "num_thread") l.num_thread = as_int(key, v);
  else if (key == "draft_num_predict") l.draft_num_predict = as_int(key, v);
  else if (key == "num_keep") o.num_keep = as_int32(key, v);
  else if (key == "seed") s.seed = as_int(key, v);
  else if (key == "num_predict") s.num_predict = as_int32(key, v);
  else if (key == "top_k") s.top_k = as_int32(key, v);
  else if (key == "top_p") s.top_p = as_float(key, v);
  else if (key == "min_p") s.min_p = as_float(key, v);
  else if (key == "typical_p") s.typical_p = as_float(key, v);
  else if (key == "repeat_last_n") s.repeat_last_n = as_int32(key, v);
  else if (key == "temperature") s.temperature = as_float(key, v);
  else if (key == "repeat_penalty") s.repeat_penalty = as_float(key, v);
  else if (key == "presence_penalty") s.presence_penalty = as_float(key, v);
  else if (key == "frequency_penalty") s.frequency_penalty = as_float(key, v);
  else if (key == "stop") s.stop = as_strings(key, v);
}

}  // namespace

void apply_options(const nlohmann::ordered_json& options, ModelOptions& out) {
  if (options.is_null()) return;
  if (!options.is_object()) fail("options must be an object");
  for (auto it = options.begin(); it != options.end(); ++it) {
    if (it.value().is_null()) continue;  // Go leaves the default for null
    if (!store::find_model_option(it.key())) {
      log::warn("invalid option provided: {}", it.key());
      continue;
    }
    apply_one(it.key(), it.value(), out);
  }
}

void apply_options(const nlohmann::json& options, ModelOptions& out) {
  apply_options(nlohmann::ordered_json(options), out);
}

std::vector<std::string> unknown_option_keys(const nlohmann::ordered_json& options) {
  std::vector<std::string> out;
  if (!options.is_object()) return out;
  for (auto it = options.begin(); it != options.end(); ++it)
    if (!store::find_model_option(it.key())) out.push_back(it.key());
  return out;
}

}  // namespace corral::api
