// GGUF metadata -> model details.
#include "store/gguf_details.h"

#include <array>
#include <cmath>

#include "gguf/gguf_file.h"
#include "util/error.h"

namespace corral::store {
namespace {

// Indexed by llama_ftype; "" marks numbers llama.cpp retired or never used.
constexpr std::array<std::string_view, 41> kFileTypeNames = {
    "F32",    "F16",     "Q4_0",   "Q4_1",   "",      "",      "",      "Q8_0",    "Q5_0",      "Q5_1",  "Q2_K",
    "Q3_K_S", "Q3_K_M",  "Q3_K_L", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K", "IQ2_XXS",   "IQ2_XS", "Q2_K_S",
    "IQ3_XS", "IQ3_XXS", "IQ1_S",  "IQ4_NL", "IQ3_S", "IQ3_M", "IQ2_S", "IQ2_M",   "IQ4_XS",    "IQ1_M", "BF16",
    "",       "",        "",       "TQ1_0",  "TQ2_0", "MXFP4_MOE", "NVFP4", "Q1_0"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::int64_t int_key(const gguf::File& f, const std::string& key) {
  try {
    if (auto v = f.get_int(key)) return *v;
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace

std::string file_type_name(std::uint32_t ft) {
  if (ft < kFileTypeNames.size() && !kFileTypeNames[ft].empty()) return std::string(kFileTypeNames[ft]);
  return "unknown";
}

std::optional<std::uint32_t> file_type_from_name(std::string_view name) {
  const std::string u = upper(name);
  for (std::uint32_t i = 0; i < kFileTypeNames.size(); ++i)
    if (!kFileTypeNames[i].empty() && kFileTypeNames[i] == u) return i;
  return std::nullopt;
}

std::string human_number(std::uint64_t b) {
  constexpr double kThousand = 1e3, kMillion = 1e6, kBillion = 1e9;
  const double v = static_cast<double>(b);
  if (v >= kBillion) {
    const double n = v / kBillion;
    return n == std::floor(n) ? fmt::format("{:.0f}B", n) : fmt::format("{:.1f}B", n);
  }
  if (v >= kMillion) {
    const double n = v / kMillion;
    return n == std::floor(n) ? fmt::format("{:.0f}M", n) : fmt::format("{:.2f}M", n);
  }
  if (v >= kThousand) return fmt::format("{:.0f}K", v / kThousand);
  return std::to_string(b);
}

GgufDetails gguf_details(const gguf::File& f) {
  GgufDetails d;
  d.architecture = f.architecture();
  try {
    d.kind = f.get_string("general.type").value_or("");
    d.chat_template = f.get_string("tokenizer.chat_template").value_or("");
  } catch (const Error&) {
  }
  for (const auto& t : f.tensors()) d.parameter_count += t.n_elements;
  d.parameter_size = human_number(d.parameter_count);
  std::optional<std::uint64_t> ft;
  try {
    ft = f.get_uint("general.file_type");
  } catch (const Error&) {
  }
  d.file_type = ft ? file_type_name(static_cast<std::uint32_t>(*ft)) : "unknown";
  if (!d.architecture.empty()) {
    d.context_length = int_key(f, d.architecture + ".context_length");
    d.embedding_length = int_key(f, d.architecture + ".embedding_length");
  }
  d.is_adapter = d.kind == "adapter";
  const std::int64_t blocks = d.architecture.empty() ? 0 : int_key(f, d.architecture + ".block_count");
  const std::int64_t vision_blocks = d.architecture.empty() ? 0 : int_key(f, d.architecture + ".vision.block_count");
  d.is_projector = d.kind == "projector" || d.kind == "mmproj" || (blocks == 0 && vision_blocks > 0) ||
                   (d.architecture == "clip" && blocks == 0);
  return d;
}

}  // namespace corral::store
