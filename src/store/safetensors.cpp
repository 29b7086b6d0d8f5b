// Safetensors header parsing with full bounds checks, and dtype conversion.
#include "store/safetensors.h"

#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/fp16.h"

namespace corral::store {
namespace {

struct DtypeInfo {
  std::string_view name;
  StDtype type;
  std::size_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {"F64", StDtype::F64, 8},  {"F32", StDtype::F32, 4},         {"F16", StDtype::F16, 2},
    {"BF16", StDtype::BF16, 2}, {"I64", StDtype::I64, 8},        {"I32", StDtype::I32, 4},
    {"I16", StDtype::I16, 2},   {"I8", StDtype::I8, 1},          {"U8", StDtype::U8, 1},
    {"BOOL", StDtype::BOOL, 1}, {"F8_E4M3", StDtype::F8_E4M3, 1}, {"F8_E5M2", StDtype::F8_E5M2, 1},
};

constexpr int kMaxDims = 8;

bool checked_mul(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return false;
  out = a * b;
  return true;
}

}  // namespace

std::string_view st_dtype_name(StDtype t) {
  for (const auto& d : kDtypes)
    if (d.type == t) return d.name;
  return "?";
}

std::size_t st_dtype_size(StDtype t) {
  for (const auto& d : kDtypes)
    if (d.type == t) return d.size;
  return 0;
}

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  SafetensorsFile f;
  f.name_ = path;
  f.map_ = MappedFile(path);
  f.bytes_ = f.map_.bytes();
  f.parse_header();
  return f;
}

SafetensorsFile SafetensorsFile::parse(std::span<const std::uint8_t> bytes, const std::string& name) {
  SafetensorsFile f;
  f.name_ = name;
  f.bytes_ = bytes;
  f.parse_header();
  return f;
}

void SafetensorsFile::parse_header() {
  if (bytes_.size() < 8) fail("{}: too short for a safetensors file ({} bytes)", name_, bytes_.size());
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes_[static_cast<std::size_t>(i)];
  if (n > kMaxHeaderBytes) fail("{}: header length {} exceeds the {} byte limit", name_, n, kMaxHeaderBytes);
  if (n > bytes_.size() - 8) fail("{}: header length {} runs past the end of the file ({} bytes)", name_, n, bytes_.size());
  data_offset_ = 8 + n;
  const std::uint64_t data_size = bytes_.size() - data_offset_;
  const char* text = reinterpret_cast<const char*>(bytes_.data() + 8);

  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text, text + n);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: header is not valid JSON: {}", name_, e.what());
  }
  if (!header.is_object()) fail("{}: header must be a JSON object", name_);

  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& v = it.value();
    if (key == "__metadata__") {
      if (!v.is_object()) fail("{}: __metadata__ must be an object", name_);
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) fail("{}: __metadata__.{} must be a string", name_, m.key());
        metadata_[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    if (!v.is_object()) fail("{}: tensor {} must be an object", name_, key);
    StTensor t;
    t.name = key;
    auto dt = v.find("dtype");
    if (dt == v.end() || !dt->is_string()) fail("{}: tensor {} has no dtype", name_, key);
    bool known = false;
    std::size_t elem_size = 0;
    for (const auto& d : kDtypes)
      if (d.name == dt->get_ref<const std::string&>()) {
        t.dtype = d.type;
        elem_size = d.size;
        known = true;
      }
    if (!known) fail("{}: tensor {} has unknown dtype {}", name_, key, dt->get_ref<const std::string&>().substr(0, 32));
    auto shape = v.find("shape");
    if (shape == v.end() || !shape->is_array()) fail("{}: tensor {} has no shape", name_, key);
    if (shape->size() > kMaxDims) fail("{}: tensor {} has {} dimensions (at most {})", name_, key, shape->size(), kMaxDims);
    std::uint64_t count = 1;
    for (const auto& d : *shape) {
      if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<std::int64_t>() >= 0))
        fail("{}: tensor {} has an invalid dimension", name_, key);
      const std::uint64_t dim = d.get<std::uint64_t>();
      if (dim > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) || !checked_mul(count, dim, count))
        fail("{}: tensor {} shape overflows", name_, key);
      t.shape.push_back(static_cast<std::int64_t>(dim));
    }
    t.n_elements = count;
    auto off = v.find("data_offsets");
    if (off == v.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
        !(*off)[1].is_number_unsigned())
      fail("{}: tensor {} needs data_offsets [begin, end]", name_, key);
    t.begin = (*off)[0].get<std::uint64_t>();
    t.end = (*off)[1].get<std::uint64_t>();
    if (t.begin > t.end || t.end > data_size)
      fail("{}: tensor {} data [{}, {}) lies outside the {} data bytes", name_, key, t.begin, t.end, data_size);
    std::uint64_t want = 0;
    if (!checked_mul(count, elem_size, want) || want != t.end - t.begin)
      fail("{}: tensor {} has {} bytes but its shape and dtype need {}", name_, key, t.end - t.begin, want);
    index_[t.name] = tensors_.size();
    tensors_.push_back(std::move(t));
  }
}

const StTensor* SafetensorsFile::find(std::string_view tensor_name) const {
  auto it = index_.find(tensor_name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

std::span<const std::uint8_t> SafetensorsFile::data(const StTensor& t) const {
  return bytes_.subspan(data_offset_ + t.begin, t.end - t.begin);
}

void SafetensorsFile::read_f32(const StTensor& t, std::span<float> out) const {
  if (out.size() != t.n_elements) fail("{}: tensor {}: output holds {} values, not {}", name_, t.name, out.size(), t.n_elements);
  const std::uint8_t* p = bytes_.data() + data_offset_ + t.begin;
  switch (t.dtype) {
    case StDtype::F32:
      std::memcpy(out.data(), p, t.n_elements * 4);
      break;
    case StDtype::F16:
      for (std::size_t i = 0; i < t.n_elements; ++i) {
        std::uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        out[i] = fp16_to_fp32(h);
      }
      break;
    case StDtype::BF16:
      for (std::size_t i = 0; i < t.n_elements; ++i) {
        std::uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        out[i] = bf16_to_fp32(h);
      }
      break;
    default:
      fail("{}: tensor {} has dtype {}; only F32, F16 and BF16 can be converted", name_, t.name, st_dtype_name(t.dtype));
  }
}

}  // namespace corral::store
