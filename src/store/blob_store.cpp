// Store: blob paths, verified commits, imports, and download part state.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "store/digest.h"
#include "store/go_json.h"
#include "store/store.h"
#include "store/store_errors.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sha256.h"

namespace corral::store {
namespace fs = std::filesystem;

namespace {

constexpr const char* kTempPrefix = "sha256-tmp-";
constexpr std::size_t kMaxPartFileBytes = 4096;

// Moves a complete, verified temp file to the blob path (or drops it when
// the blob exists already). Returns true if the blob was created. A hard
// link keeps its mode: it is the user's file too.
bool install_blob(const fs::path& temp_path, const fs::path& blob, bool set_mode = true) {
  std::error_code ec;
  if (fs::exists(blob, ec)) {
    ::unlink(temp_path.c_str());
    touch(blob);
    return false;
  }
  if (set_mode) ::chmod(temp_path.c_str(), 0644);
  rename_durable(temp_path, blob);
  return true;
}

}  // namespace

fs::path Store::blob_path(std::string_view digest) const { return blobs_dir() / blob_file_name(require_digest(digest)); }

fs::path Store::partial_path(std::string_view digest) const {
  return blobs_dir() / (blob_file_name(require_digest(digest)) + "-partial");
}

fs::path Store::partial_part_path(std::string_view digest, int n) const {
  if (n < 0) fail("download part number {} is negative", n);
  return blobs_dir() / (blob_file_name(require_digest(digest)) + "-partial-" + std::to_string(n));
}

bool Store::has_blob(std::string_view digest) const {
  std::error_code ec;
  return fs::is_regular_file(blob_path(digest), ec);
}

std::optional<std::int64_t> Store::blob_size(std::string_view digest) const {
  struct stat st {};
  if (::stat(blob_path(digest).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<std::int64_t>(st.st_size);
}

TempFile Store::new_temp_blob() const { return TempFile(blobs_dir(), kTempPrefix); }

BlobInfo Store::commit_blob(const fs::path& temp_path, std::string_view digest) const {
  const std::string want = require_digest(digest);
  const fs::path blob = blob_path(want);
  std::string got;
  try {
    got = "sha256:" + hash_file(temp_path);
  } catch (...) {
    ::unlink(temp_path.c_str());
    throw;
  }
  if (got != want) {
    ::unlink(temp_path.c_str());
    throw DigestMismatchError(fmt::format("digest mismatch, expected \"{}\", got \"{}\"", want, got));
  }
  // Make the content durable before it gets its final name.
  if (int fd = ::open(temp_path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  struct stat st {};
  ::stat(temp_path.c_str(), &st);
  BlobInfo info;
  info.digest = want;
  info.size = static_cast<std::int64_t>(st.st_size);
  info.created = install_blob(temp_path, blob);
  return info;
}

BlobInfo Store::write_blob(std::string_view bytes) const {
  BlobInfo info;
  info.digest = "sha256:" + sha256_hex(bytes);
  info.size = static_cast<std::int64_t>(bytes.size());
  const fs::path blob = blob_path(info.digest);
  std::error_code ec;
  if (fs::exists(blob, ec)) {
    touch(blob);
    return info;
  }
  TempFile tmp = new_temp_blob();
  tmp.write(bytes);
  tmp.finish();
  info.created = install_blob(tmp.path(), blob);
  tmp.release();
  return info;
}

BlobInfo Store::import_file(const fs::path& src, const CloneOptions& options) const {
  std::unique_ptr<TempFile> tmp;
  const CloneResult r = clone_file(src, blobs_dir(), kTempPrefix, tmp, options);
  BlobInfo info;
  info.digest = "sha256:" + r.sha256_hex;
  info.size = static_cast<std::int64_t>(r.size);
  info.method = r.method;
  tmp->finish();
  info.created = install_blob(tmp->path(), blob_path(info.digest), r.method != CloneMethod::hardlink);
  tmp->release();
  log::debug("store: imported {} as {} ({})", src.string(), info.digest, clone_method_name(r.method));
  return info;
}

void Store::remove_blob(std::string_view digest) const {
  const fs::path p = blob_path(digest);
  if (::unlink(p.c_str()) != 0 && errno != ENOENT)
    fail("{}: cannot remove blob: {}", p.string(), std::strerror(errno));
}

std::string Store::read_blob(std::string_view digest, std::size_t max_bytes) const {
  const fs::path p = blob_path(digest);
  std::error_code ec;
  if (!fs::exists(p, ec)) throw NotFoundError(fmt::format("blob \"{}\" not found", require_digest(digest)));
  return read_small_file(p, max_bytes);
}

std::vector<PartialPart> Store::read_partial_parts(std::string_view digest) const {
  const std::string prefix = blob_file_name(require_digest(digest)) + "-partial-";
  std::vector<PartialPart> parts;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(blobs_dir(), ec)) {
    const std::string fname = e.path().filename().string();
    if (fname.rfind(prefix, 0) != 0) continue;
    const std::string num = fname.substr(prefix.size());
    if (num.empty() || num.size() > 6 || !std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    try {
      const auto j = nlohmann::json::parse(read_small_file(e.path(), kMaxPartFileBytes));
      PartialPart p;
      p.n = j.at("N").get<int>();
      p.offset = j.at("Offset").get<std::int64_t>();
      p.size = j.at("Size").get<std::int64_t>();
      p.completed = j.at("Completed").get<std::int64_t>();
      if (p.offset < 0 || p.size < 0 || p.completed < 0 || p.completed > p.size) {
        log::warn("store: ignoring inconsistent download state {}", e.path().string());
        continue;
      }
      parts.push_back(p);
    } catch (const std::exception& ex) {
      log::warn("store: ignoring unreadable download state {}: {}", e.path().string(), ex.what());
    }
  }
  std::sort(parts.begin(), parts.end(), [](const PartialPart& a, const PartialPart& b) { return a.n < b.n; });
  return parts;
}

void Store::write_partial_part(std::string_view digest, const PartialPart& part) const {
  nlohmann::ordered_json j;
  j["N"] = part.n;
  j["Offset"] = part.offset;
  j["Size"] = part.size;
  j["Completed"] = part.completed;
  write_file_atomic(partial_part_path(digest, part.n), go::encode(j, go::Numbers::as_parsed), blobs_dir(),
                    kTempPrefix);
}

void Store::remove_partial(std::string_view digest) const {
  const std::string base = blob_file_name(require_digest(digest)) + "-partial";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(blobs_dir(), ec)) {
    const std::string fname = e.path().filename().string();
    if (fname == base || fname.rfind(base + "-", 0) == 0) ::unlink(e.path().c_str());
  }
}

}  // namespace corral::store
