// list / copy / delete / remove-unused-layers.
#include "store/model_ops.h"

#include <algorithm>
#include <set>

#include "gguf/gguf_file.h"
#include "store/gguf_details.h"
#include "store/media_types.h"
#include "store/store_errors.h"
#include "store/store_lock.h"
#include "util/error.h"
#include "util/log.h"

namespace corral::store {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxConfigBlobBytes = 16u << 20;

bool is_unknown_quantization(const std::string& q) { return q.empty() || q == "unknown"; }

std::set<std::string> referenced_digests(const Store& store) {
  std::set<std::string> used;
  for (const auto& sm : store.list_manifests())
    for (auto& d : sm.manifest.digests()) used.insert(std::move(d));
  return used;
}

}  // namespace

std::vector<ModelSummary> list_models(const Store& store, const ListOptions& options) {
  std::vector<std::string> problems;
  std::vector<ModelSummary> out;
  for (auto& sm : store.list_manifests(&problems)) {
    try {
      ModelSummary s;
      s.name = sm.name;
      s.display_name = sm.name.display_shortest();
      s.size = sm.manifest.total_size();
      s.digest_hex = sm.digest_hex;
      s.modified = sm.modified;
      if (!sm.manifest.config.digest.empty())
        s.config = parse_model_config(store.read_blob(sm.manifest.config.digest, kMaxConfigBlobBytes),
                                      fmt::format("config of {}", s.display_name));
      s.details.format = s.config.model_format;
      s.details.family = s.config.model_family;
      s.details.families = s.config.model_families;
      s.details.parameter_size = s.config.model_type;
      s.details.quantization_level = s.config.file_type;
      s.details.context_length = s.config.context_length;
      s.details.embedding_length = s.config.embedding_length;
      if (const Layer* weights = sm.manifest.find_layer(media_type::kModel)) {
        s.model_path = store.blob_path(weights->digest);
        s.details.parent_model = weights->from;
      }
      const bool is_remote = !s.config.remote_host.empty() || !s.config.remote_model.empty();
      if (options.read_gguf && !is_remote && !s.model_path.empty() &&
          (s.config.model_format.empty() || s.config.model_format == "gguf")) {
        try {
          const auto f = gguf::File::open(s.model_path.string());
          const GgufDetails g = gguf_details(f);
          if (s.details.context_length == 0) s.details.context_length = g.context_length;
          if (s.details.embedding_length == 0) s.details.embedding_length = g.embedding_length;
          if (is_unknown_quantization(s.details.quantization_level) && !is_unknown_quantization(g.file_type))
            s.details.quantization_level = g.file_type;
        } catch (const Error& e) {
          log::debug("store: cannot read weights of {}: {}", s.display_name, e.what());
        }
      }
      s.manifest = std::move(sm.manifest);
      out.push_back(std::move(s));
    } catch (const Error& e) {
      log::warn("store: skipping {}: {}", sm.name.display_shortest(), e.what());
    }
  }
  for (const auto& p : problems) log::warn("store: skipping manifest: {}", p);
  std::stable_sort(out.begin(), out.end(),
                   [](const ModelSummary& a, const ModelSummary& b) { return a.modified > b.modified; });
  return out;
}

void copy_model(const Store& store, const ModelName& src, const ModelName& dst) {
  const fs::path from = store.manifest_path(src);
  const fs::path to = store.manifest_path(dst);
  if (from == to) {
    if (!store.read_manifest(src)) throw NotFoundError(fmt::format("model \"{}\" not found", src.display_shortest()));
    return;
  }
  std::error_code ec;
  if (!fs::is_regular_file(from, ec))
    throw NotFoundError(fmt::format("model \"{}\" not found", src.display_shortest()));
  const std::string bytes = read_small_file(from, kMaxManifestBytes);
  store.write_manifest_bytes(dst, bytes);
}

void delete_model(const Store& store, const ModelName& name) {
  auto sm = store.read_manifest(name);
  if (!sm) throw NotFoundError(fmt::format("model '{}' not found", name.display_shortest()));
  StoreLock lock(store, StoreLock::Mode::exclusive);
  store.remove_manifest(name);
  const std::set<std::string> used = referenced_digests(store);
  for (const auto& d : sm->manifest.digests()) {
    if (used.count(d)) continue;
    store.remove_blob(d);
  }
}

std::vector<std::string> remove_blobs_if_unreferenced(const Store& store, const std::vector<std::string>& digests) {
  StoreLock lock(store, StoreLock::Mode::exclusive);
  const std::set<std::string> used = referenced_digests(store);
  std::vector<std::string> removed;
  for (const auto& d : digests) {
    if (used.count(d) || std::find(removed.begin(), removed.end(), d) != removed.end()) continue;
    if (store.has_blob(d)) {
      store.remove_blob(d);
      removed.push_back(d);
    }
  }
  return removed;
}

std::vector<std::string> remove_unused_layers(const Store& store, const Manifest& old) {
  return remove_blobs_if_unreferenced(store, old.digests());
}

}  // namespace corral::store
