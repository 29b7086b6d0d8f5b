// Start-up maintenance: legacy blob names, mark-and-sweep, empty directories.
#include "store/prune.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <set>

#include "store/digest.h"
#include "store/store.h"
#include "store/store_lock.h"
#include "util/log.h"

namespace corral::store {
namespace fs = std::filesystem;

namespace {

bool older_than(const fs::path& p, std::chrono::seconds grace) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) return false;
  const auto now = std::chrono::system_clock::now();
  const auto mtime = std::chrono::system_clock::time_point(std::chrono::seconds(st.st_mtim.tv_sec));
  return now - mtime >= grace;
}

// Depth-first removal of empty directories below (not including) dir.
bool prune_empty(const fs::path& dir, bool remove_self) {
  std::error_code ec;
  bool empty = true;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec) && !e.is_symlink(ec)) {
      if (!prune_empty(e.path(), true)) empty = false;
    } else {
      empty = false;
    }
  }
  if (empty && remove_self) return ::rmdir(dir.c_str()) == 0;
  return false;
}

}  // namespace

bool noprune_from_env() {
  const char* v = std::getenv("OLLAMA_NOPRUNE");
  if (!v) return false;
  std::string s(v);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\'')) s.pop_back();
  while (!s.empty() && (s.front() == ' ' || s.front() == '"' || s.front() == '\'')) s.erase(0, 1);
  if (s.empty()) return false;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
    if (s == f) return false;
  return true;  // true spellings, and (as Ollama does) anything unparsable
}

int fix_legacy_blob_names(const Store& store) {
  int renamed = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(store.blobs_dir(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("sha256:", 0) != 0) continue;
    const fs::path to = e.path().parent_path() / ("sha256-" + name.substr(7));
    if (::rename(e.path().c_str(), to.c_str()) == 0) {
      ++renamed;
    } else {
      log::warn("store: cannot rename legacy blob {}", e.path().string());
    }
  }
  return renamed;
}

PruneReport prune_blobs(const Store& store, const PruneOptions& options) {
  PruneReport report;
  StoreLock lock(store, StoreLock::Mode::exclusive);
  const auto manifests = store.list_manifests(&report.problems);
  if (!report.problems.empty()) {
    report.skipped = true;
    log::warn("store: corrupt manifests detected, skipping prune operation. Re-pull or delete to clear: {}",
              report.problems.front());
    return report;
  }
  std::set<std::string> used;
  for (const auto& sm : manifests)
    for (auto& d : sm.manifest.digests()) used.insert(std::move(d));

  std::error_code ec;
  for (const auto& e : fs::directory_iterator(store.blobs_dir(), ec)) {
    if (e.is_directory(ec)) continue;
    if (!older_than(e.path(), options.grace)) continue;
    const std::string name = e.path().filename().string();
    // A blob file name is the digest with '-' for ':' (Ollama swaps them back).
    std::string as_digest = name;
    if (as_digest.size() > 6 && as_digest[6] == '-') as_digest[6] = ':';
    const auto digest = normalize_digest(as_digest);
    const bool valid = digest && name.find('-', 7) == std::string::npos;
    if (valid) ++report.blobs_seen;
    if (valid && used.count(*digest)) continue;
    if (::unlink(e.path().c_str()) == 0) {
      report.removed.push_back(name);
    } else {
      log::warn("store: cannot remove {}", e.path().string());
    }
  }
  log::info("store: {} blobs, {} unused or stale files removed", report.blobs_seen, report.removed.size());
  return report;
}

void prune_manifest_dirs(const Store& store, const PruneOptions& options) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(store.manifests_dir(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(".corral-tmp-", 0) == 0 && older_than(e.path(), options.grace)) ::unlink(e.path().c_str());
  }
  prune_empty(store.manifests_dir(), false);
}

PruneReport startup_maintenance(const Store& store, bool prune, const PruneOptions& options) {
  PruneReport report;
  const int renamed = fix_legacy_blob_names(store);
  if (prune) {
    report = prune_blobs(store, options);
    if (!report.skipped) prune_manifest_dirs(store, options);
  }
  report.renamed = renamed;
  return report;
}

}  // namespace corral::store
