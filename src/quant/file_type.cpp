// The table of supported file types: id, name, base tensor type.
#include "quant/file_type.h"

#include <array>
#include <cctype>

namespace corral::quant {
namespace {

struct FileTypeInfo {
  FileType type;
  std::string_view name;
  TensorType base;
};

constexpr std::array<FileTypeInfo, 19> kFileTypes = {{
    {FileType::F32, "F32", TensorType::F32},
    {FileType::F16, "F16", TensorType::F16},
    {FileType::Q4_0, "Q4_0", TensorType::Q4_0},
    {FileType::Q4_1, "Q4_1", TensorType::Q4_1},
    {FileType::Q8_0, "Q8_0", TensorType::Q8_0},
    {FileType::Q5_0, "Q5_0", TensorType::Q5_0},
    {FileType::Q5_1, "Q5_1", TensorType::Q5_1},
    {FileType::Q2_K, "Q2_K", TensorType::Q2_K},
    {FileType::Q3_K_S, "Q3_K_S", TensorType::Q3_K},
    {FileType::Q3_K_M, "Q3_K_M", TensorType::Q3_K},
    {FileType::Q3_K_L, "Q3_K_L", TensorType::Q3_K},
    {FileType::Q4_K_S, "Q4_K_S", TensorType::Q4_K},
    {FileType::Q4_K_M, "Q4_K_M", TensorType::Q4_K},
    {FileType::Q5_K_S, "Q5_K_S", TensorType::Q5_K},
    {FileType::Q5_K_M, "Q5_K_M", TensorType::Q5_K},
    {FileType::Q6_K, "Q6_K", TensorType::Q6_K},
    {FileType::IQ4_NL, "IQ4_NL", TensorType::IQ4_NL},
    {FileType::IQ4_XS, "IQ4_XS", TensorType::IQ4_XS},
    {FileType::BF16, "BF16", TensorType::BF16},
}};

constexpr std::array<FileType, 19> kOrder = [] {
  std::array<FileType, 19> out{};
  for (std::size_t i = 0; i < kFileTypes.size(); ++i) out[i] = kFileTypes[i].type;
  return out;
}();

const FileTypeInfo& info(FileType t) {
  for (const auto& i : kFileTypes)
    if (i.type == t) return i;
  return kFileTypes[0];  // unreachable for valid enum values
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::span<const FileType> supported_file_types() { return kOrder; }

std::string_view file_type_name(FileType t) { return info(t).name; }

std::optional<FileType> parse_file_type(std::string_view name) {
  for (const auto& i : kFileTypes)
    if (iequals(name, i.name)) return i.type;
  if (iequals(name, "Q3_K")) return FileType::Q3_K_M;
  if (iequals(name, "Q4_K")) return FileType::Q4_K_M;
  if (iequals(name, "Q5_K")) return FileType::Q5_K_M;
  return std::nullopt;
}

std::optional<FileType> file_type_from_id(std::uint32_t id) {
  for (const auto& i : kFileTypes)
    if (static_cast<std::uint32_t>(i.type) == id) return i.type;
  return std::nullopt;
}

TensorType base_tensor_type(FileType t) { return info(t).base; }

}  // namespace corral::quant
