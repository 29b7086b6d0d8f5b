// Store: manifest files (read, atomic write, remove, listing, name lookup).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "store/store.h"
#include "store/store_errors.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sha256.h"

namespace corral::store {
namespace fs = std::filesystem;

namespace {

// Temporary manifest files sit directly in manifests/, where the 4-level
// listing (ours and Ollama's) never looks.
constexpr const char* kManifestTempPrefix = ".corral-tmp-";

std::chrono::system_clock::time_point mtime_of(const struct stat& st) {
  using namespace std::chrono;
  return system_clock::time_point(duration_cast<system_clock::duration>(seconds(st.st_mtim.tv_sec) +
                                                                        nanoseconds(st.st_mtim.tv_nsec)));
}

StoredManifest load(const fs::path& path, const ModelName& name) {
  const std::string bytes = read_small_file(path, kMaxManifestBytes);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail("{}: cannot stat: {}", path.string(), std::strerror(errno));
  StoredManifest sm;
  sm.name = name;
  sm.manifest = parse_manifest(bytes, fmt::format("manifest of {}", name.display_shortest()));
  sm.digest_hex = sha256_hex(bytes);
  sm.modified = mtime_of(st);
  sm.path = path;
  return sm;
}

// Removes dir and its parents up to (excluding) stop while they are empty.
void remove_empty_parents(fs::path dir, const fs::path& stop) {
  while (!dir.empty() && dir != stop && dir.string().size() > stop.string().size()) {
    if (::rmdir(dir.c_str()) != 0) break;
    dir = dir.parent_path();
  }
}

}  // namespace

fs::path Store::manifest_path(const ModelName& name) const { return manifests_dir() / name.filepath(); }

std::optional<StoredManifest> Store::read_manifest(const ModelName& name) const {
  const fs::path p = manifest_path(name);
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    fail("{}: cannot stat: {}", p.string(), std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return std::nullopt;
  return load(p, name);
}

StoredManifest Store::require_manifest(const ModelName& name) const {
  auto m = read_manifest(name);
  if (!m) throw NotFoundError(fmt::format("model \"{}\" not found", name.display_shortest()));
  return std::move(*m);
}

std::string Store::write_manifest(const ModelName& name, const Manifest& manifest) const {
  const std::string bytes = serialize_manifest(manifest);
  // Check what we write with the same rules we read with.
  (void)parse_manifest(bytes, fmt::format("manifest of {}", name.display_shortest()));
  write_file_atomic(manifest_path(name), bytes, manifests_dir(), kManifestTempPrefix);
  return sha256_hex(bytes);
}

std::string Store::write_manifest_bytes(const ModelName& name, std::string_view bytes) const {
  (void)parse_manifest(bytes, fmt::format("manifest of {}", name.display_shortest()));
  write_file_atomic(manifest_path(name), bytes, manifests_dir(), kManifestTempPrefix);
  return sha256_hex(bytes);
}

bool Store::remove_manifest(const ModelName& name) const {
  const fs::path p = manifest_path(name);
  if (::unlink(p.c_str()) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return false;
    fail("{}: cannot remove manifest: {}", p.string(), std::strerror(errno));
  }
  fsync_dir(p.parent_path());
  remove_empty_parents(p.parent_path(), manifests_dir());
  return true;
}

std::vector<ModelName> Store::list_names() const {
  std::vector<ModelName> names;
  std::error_code ec;
  const fs::path base = manifests_dir();
  for (const auto& h : fs::directory_iterator(base, ec)) {
    if (!h.is_directory(ec)) continue;
    for (const auto& n : fs::directory_iterator(h.path(), ec)) {
      if (!n.is_directory(ec)) continue;
      for (const auto& m : fs::directory_iterator(n.path(), ec)) {
        if (!m.is_directory(ec)) continue;
        for (const auto& t : fs::directory_iterator(m.path(), ec)) {
          if (t.is_directory(ec)) continue;
          const std::string rel = h.path().filename().string() + "/" + n.path().filename().string() + "/" +
                                  m.path().filename().string() + "/" + t.path().filename().string();
          if (auto name = ModelName::from_filepath(rel)) names.push_back(std::move(*name));
        }
      }
    }
  }
  std::sort(names.begin(), names.end(),
            [](const ModelName& a, const ModelName& b) { return a.to_string() < b.to_string(); });
  return names;
}

std::vector<StoredManifest> Store::list_manifests(std::vector<std::string>* problems) const {
  std::vector<StoredManifest> out;
  std::error_code ec;
  const fs::path base = manifests_dir();
  for (const auto& h : fs::directory_iterator(base, ec)) {
    if (!h.is_directory(ec)) continue;
    for (const auto& n : fs::directory_iterator(h.path(), ec)) {
      if (!n.is_directory(ec)) continue;
      for (const auto& m : fs::directory_iterator(n.path(), ec)) {
        if (!m.is_directory(ec)) continue;
        for (const auto& t : fs::directory_iterator(m.path(), ec)) {
          if (t.is_directory(ec)) continue;
          const std::string rel = h.path().filename().string() + "/" + n.path().filename().string() + "/" +
                                  m.path().filename().string() + "/" + t.path().filename().string();
          auto name = ModelName::from_filepath(rel);
          if (!name) {
            if (problems) problems->push_back(fmt::format("{}: not a valid model name", rel));
            continue;
          }
          try {
            out.push_back(load(t.path(), *name));
          } catch (const Error& e) {
            if (problems) problems->push_back(e.what());
          }
        }
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const StoredManifest& a, const StoredManifest& b) { return a.name.to_string() < b.name.to_string(); });
  return out;
}

ModelName Store::resolve_name(const ModelName& name) const {
  const std::vector<ModelName> existing = list_names();
  const ModelName* folded = nullptr;
  for (const auto& e : existing) {
    if (e == name) return name;
    if (!folded && e.equal_fold(name)) folded = &e;
  }
  ModelName out = name;
  if (folded) {
    out.host = folded->host;
    out.ns = folded->ns;
    out.model = folded->model;
    out.tag = folded->tag;
    return out;
  }
  // Part by part, outermost first, as Ollama does, so that a new tag joins an
  // existing model directory instead of creating a differently-cased twin.
  // A part only adopts the spelling of stored names that share the parts
  // already resolved.
  std::vector<const ModelName*> candidates;
  for (const auto& e : existing) candidates.push_back(&e);
  for (std::string ModelName::*part : {&ModelName::host, &ModelName::ns, &ModelName::model, &ModelName::tag}) {
    const ModelName* exact = nullptr;
    const ModelName* fold = nullptr;
    for (const ModelName* e : candidates) {
      if (e->*part == out.*part) {
        exact = e;
        break;
      }
      if (!fold && equal_fold(e->*part, out.*part)) fold = e;
    }
    if (!exact && fold) out.*part = fold->*part;
    std::erase_if(candidates, [&](const ModelName* e) { return e->*part != out.*part; });
  }
  return out;
}

}  // namespace corral::store
