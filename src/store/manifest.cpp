// Manifest parsing (strict) and Go-identical serialization.
#include "store/manifest.h"

#include <nlohmann/json.hpp>

#include "store/digest.h"
#include "store/go_json.h"
#include "store/media_types.h"
#include "util/error.h"

namespace corral::store {
namespace {

using json = nlohmann::json;

// Sizes beyond 2^53 cannot be real files and would overflow sums.
constexpr std::int64_t kMaxLayerSize = std::int64_t{1} << 53;

std::string get_string(const json& obj, const char* key, std::string_view what, std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_string()) fail("{}: {}.{} must be a string", what, where, key);
  return it->get<std::string>();
}

Layer parse_layer(const json& j, std::string_view what, const std::string& where, bool digest_required) {
  if (!j.is_object()) fail("{}: {} must be an object", what, where);
  Layer l;
  l.media_type = get_string(j, "mediaType", what, where);
  l.digest = get_string(j, "digest", what, where);
  l.from = get_string(j, "from", what, where);
  l.name = get_string(j, "name", what, where);
  if (auto it = j.find("size"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) fail("{}: {}.size must be an integer", what, where);
    if (it->is_number_unsigned()) {
      if (it->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxLayerSize))
        fail("{}: {}.size {} is too large", what, where, it->get<std::uint64_t>());
      l.size = static_cast<std::int64_t>(it->get<std::uint64_t>());
    } else {
      l.size = it->get<std::int64_t>();
    }
    if (l.size < 0 || l.size > kMaxLayerSize) fail("{}: {}.size {} is out of range", what, where, l.size);
  }
  if (l.digest.empty()) {
    if (digest_required) fail("{}: {} has no digest", what, where);
  } else if (!is_canonical_digest(l.digest)) {
    std::string shown = l.digest.substr(0, 80);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    fail("{}: {} has an invalid digest \"{}\" (want sha256:<64 lowercase hex digits>)", what, where, shown);
  }
  return l;
}

void add_layer(nlohmann::ordered_json& arr, const Layer& l) {
  nlohmann::ordered_json j;
  j["mediaType"] = l.media_type;
  j["digest"] = l.digest;
  j["size"] = l.size;
  if (!l.from.empty()) j["from"] = l.from;
  if (!l.name.empty()) j["name"] = l.name;
  arr.push_back(std::move(j));
}

}  // namespace

std::int64_t Manifest::total_size() const {
  std::int64_t total = config.size;
  for (const auto& l : layers) total += l.size;
  return total;
}

std::vector<std::string> Manifest::digests() const {
  std::vector<std::string> out;
  if (!config.digest.empty()) out.push_back(config.digest);
  for (const auto& l : layers)
    if (!l.digest.empty()) out.push_back(l.digest);
  return out;
}

const Layer* Manifest::find_layer(std::string_view mt) const {
  for (const auto& l : layers)
    if (l.media_type == mt) return &l;
  return nullptr;
}

Manifest parse_manifest(std::string_view text, std::string_view what) {
  if (text.size() > kMaxManifestBytes) fail("{}: {} bytes is too large for a manifest", what, text.size());
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    fail("{}: not valid JSON: {}", what, e.what());
  }
  if (!j.is_object()) fail("{}: a manifest must be a JSON object", what);
  Manifest m;
  m.schema_version = 0;
  if (auto it = j.find("schemaVersion"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) fail("{}: schemaVersion must be an integer", what);
    m.schema_version = it->get<int>();
  }
  m.media_type = get_string(j, "mediaType", what, "manifest");
  if (auto it = j.find("config"); it != j.end() && !it->is_null())
    m.config = parse_layer(*it, what, "config", false);
  if (auto it = j.find("layers"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) fail("{}: layers must be an array", what);
    std::size_t i = 0;
    for (const auto& lj : *it) {
      m.layers.push_back(parse_layer(lj, what, fmt::format("layers[{}]", i), true));
      ++i;
    }
  }
  std::int64_t total = m.config.size;
  for (const auto& l : m.layers) {
    total += l.size;
    if (total > kMaxLayerSize) fail("{}: total size of the layers is out of range", what);
  }
  return m;
}

std::string serialize_manifest(const Manifest& m) {
  nlohmann::ordered_json j;
  j["schemaVersion"] = m.schema_version;
  j["mediaType"] = m.media_type;
  nlohmann::ordered_json config = nlohmann::ordered_json::array();
  add_layer(config, m.config);
  j["config"] = config[0];
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& l : m.layers) add_layer(layers, l);
  j["layers"] = layers;
  return go::encode(j, go::Numbers::as_parsed);
}

Manifest make_manifest(Layer config, std::vector<Layer> layers) {
  Manifest m;
  m.schema_version = 2;
  m.media_type = media_type::kManifest;
  m.config = std::move(config);
  m.layers = std::move(layers);
  return m;
}

}  // namespace corral::store
