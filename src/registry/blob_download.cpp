// The blob downloader: lock, plan or resume parts, run ranged transfers
// on one curl_multi loop, hash the contiguous prefix as it fills,
// checkpoint part state, verify, install.
#include "registry/blob_download.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include "registry/partial_file.h"
#include "registry/part_plan.h"
#include "registry/retry.h"
#include "registry/url.h"
#include "store/digest.h"
#include "util/log.h"
#include "util/sha256.h"

namespace corral::registry {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxErrorBody = 4096;
constexpr std::int64_t kHashChunk = 4 << 20;
constexpr std::int64_t kHashBudgetPerTurn = 32 << 20;
constexpr int kMaxStallsPerPart = 20;
constexpr std::int64_t kMinCheckpointedBlob = 16 << 20;
constexpr int kMaxAuthRefresh = 3;
constexpr std::chrono::milliseconds kPollInterval{50};
constexpr std::chrono::milliseconds kLockPollInterval{100};

std::string short_hex(const std::string& digest) { return digest.substr(7, 12); }

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;

// "bytes <first>-<last>/<total|*>" -> first and total (-1 when "*").
bool parse_content_range(std::string_view s, std::int64_t& first, std::int64_t& total) {
  if (s.substr(0, 6) != "bytes ") return false;
  s.remove_prefix(6);
  const auto num = [&](std::int64_t& out) {
    std::size_t i = 0;
    out = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 18) out = out * 10 + (s[i++] - '0');
    if (i == 0) return false;
    s.remove_prefix(i);
    return true;
  };
  std::int64_t last = 0;
  if (!num(first) || s.empty() || s[0] != '-') return false;
  s.remove_prefix(1);
  if (!num(last) || s.empty() || s[0] != '/') return false;
  s.remove_prefix(1);
  if (s == "*") {
    total = -1;
    return true;
  }
  return num(total) && s.empty();
}

std::optional<std::int64_t> parse_length(const std::optional<std::string>& v) {
  if (!v || v->empty() || v->size() > 18) return std::nullopt;
  std::int64_t n = 0;
  for (const char c : *v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

class Downloader;

// One HTTP transfer writing into the partial file from `cursor` up to `end`.
struct Transfer {
  Downloader* owner = nullptr;
  CURLM* multi = nullptr;
  EasyHandle easy;
  HeaderList header_list;
  HeaderCollector headers;
  std::size_t part = 0;
  bool full = false;  // no Range: the whole body from offset 0, across parts
  std::int64_t request_start = 0;
  std::int64_t cursor = 0;
  std::int64_t end = 0;
  std::int64_t written = 0;
  bool checked = false;
  long error_status = 0;
  std::string error_body;
  std::string abort_reason;  // a retryable reason we aborted for
  bool filled = false;
  Clock::time_point last_activity;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  ~Transfer() {
    if (multi && easy) curl_multi_remove_handle(multi, easy.get());
  }
};

class Downloader {
 public:
  Downloader(const store::Store& store, Session& session, const PullOptions& options, const std::string& digest,
             std::int64_t total, const std::string& status, const ProgressFn& progress, PartialFile& file)
      : store_(store),
        session_(session),
        options_(options),
        digest_(digest),
        total_(total),
        status_(status),
        progress_(progress),
        file_(file),
        url_(session.blob_url(digest)),
        buffer_(static_cast<std::size_t>(kHashChunk)) {}

  BlobDownloadResult run() {
    BlobDownloadResult result;
    prepare();
    result.resumed = completed_bytes(parts_);
    bool restarted = false;
    while (true) {
      transfer_all();
      const std::string got = "sha256:" + hasher_.hex_digest();
      if (got == digest_) break;
      if (completed_bytes_at_start_ > 0 && !restarted) {
        // Data from an earlier attempt may have been damaged on disk: try
        // once more from nothing before calling the registry wrong.
        log::warn("registry: {} resumed download does not verify (got {}); downloading it again", short_hex(digest_),
                  got);
        restarted = true;
        fresh_start();
        continue;
      }
      file_.discard(store_, digest_);
      throw DigestMismatchError(
          fmt::format("digest mismatch, file must be downloaded again: want {}, got {}", digest_, got));
    }
    file_.install(store_, digest_);
    result.fetched = fetched_;
    return result;
  }

  // ---- called from curl callbacks (must not throw) ------------------------
  std::size_t on_body(Transfer& t, const char* data, std::size_t len);
  void on_header(Transfer& t, std::string_view line) {
    t.headers.on_line(line);
    t.last_activity = Clock::now();
  }

 private:
  void prepare() {
    auto found = store_.read_partial_parts(digest_);
    if (parts_tile(found, total_) && file_.size() == total_) {
      parts_ = std::move(found);
      persisted_.clear();
      for (const auto& p : parts_) persisted_.push_back(p.completed);
      completed_bytes_at_start_ = completed_bytes(parts_);
      if (completed_bytes_at_start_ > 0)
        log::info("registry: resuming {} at {} of {} bytes", short_hex(digest_), completed_bytes_at_start_, total_);
      reset_hashing();
      return;
    }
    for (const auto& p : found) ::unlink(store_.partial_part_path(digest_, p.n).c_str());
    fresh_start();
  }

  void fresh_start() {
    // Part files of an older, longer plan would confuse a later resume.
    for (const auto& p : parts_) ::unlink(store_.partial_part_path(digest_, p.n).c_str());
    file_.reset(total_);
    parts_ = plan_parts(total_, choose_part_size(total_, options_.parallel_threshold, options_.part_size));
    persisted_.assign(parts_.size(), -1);
    completed_bytes_at_start_ = 0;
    ranges_unsupported_ = false;
    checkpoint(true);
    reset_hashing();
  }

  void reset_hashing() {
    hasher_ = Sha256();
    hashed_ = 0;
    hash_part_ = 0;
  }

  bool all_complete() const {
    return std::all_of(parts_.begin(), parts_.end(), [](const auto& p) { return p.completed == p.size; });
  }

  void transfer_all();
  void start_transfers();
  void start(std::size_t part);
  void finish(Transfer& t, CURLcode result);
  void failed(std::size_t part, const Transfer& t, const std::string& reason);
  void check_stalls();
  bool hash_some();
  bool can_hash() const;
  void checkpoint(bool force);
  void report(bool force);
  void throw_pending();

  const store::Store& store_;
  Session& session_;
  const PullOptions& options_;
  std::string digest_;
  std::int64_t total_;
  std::string status_;
  const ProgressFn& progress_;
  PartialFile& file_;
  std::string url_;

  std::vector<store::PartialPart> parts_;
  std::vector<std::int64_t> persisted_;
  struct PartRun {
    Transfer* active = nullptr;
    int attempts = 0;
    int stalls = 0;
    Clock::time_point not_before{};
  };
  std::vector<PartRun> runs_;
  MultiHandle multi_;
  std::vector<std::unique_ptr<Transfer>> transfers_;
  bool ranges_unsupported_ = false;
  int auth_refreshes_ = 0;
  std::int64_t completed_bytes_at_start_ = 0;
  std::int64_t fetched_ = 0;

  Sha256 hasher_;
  std::int64_t hashed_ = 0;
  std::size_t hash_part_ = 0;
  std::vector<char> buffer_;

  Clock::time_point last_checkpoint_{};
  Clock::time_point last_report_{};
  std::int64_t last_reported_ = -1;
  std::string fatal_;  // set by a callback, thrown by the loop
};

std::size_t write_cb(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  return t->owner->on_body(*t, data, size * n);
}

std::size_t header_cb(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  t->owner->on_header(*t, std::string_view(data, size * n));
  return size * n;
}

std::size_t Downloader::on_body(Transfer& t, const char* data, std::size_t len) {
  t.last_activity = Clock::now();
  if (!t.checked) {
    t.checked = true;
    const long status = t.headers.status();
    if (status == 206) {
      std::int64_t first = -1, size = -1;
      const auto cr = t.headers.headers().get("content-range");
      if (!cr || !parse_content_range(*cr, first, size) || first != t.request_start) {
        t.abort_reason = fmt::format("the registry answered bytes {}- with \"{}\"", t.request_start,
                                     cr ? cr->substr(0, 80) : std::string("no Content-Range"));
        return 0;
      }
      if (size >= 0 && size != total_) {
        fatal_ = fmt::format("blob {} has {} bytes in the registry but the manifest says {}", digest_, size, total_);
        return 0;
      }
    } else if (status == 200) {
      const auto length = parse_length(t.headers.headers().get("content-length"));
      if (length && *length != total_) {
        fatal_ = fmt::format("blob {} has {} bytes in the registry but the manifest says {}", digest_, *length, total_);
        return 0;
      }
      if (!t.full && (t.request_start != 0 || t.end != total_)) {
        // The server ignored Range: take the whole body, skipping what we have.
        if (!ranges_unsupported_) log::info("registry: {} server ignores ranges; one stream", short_hex(digest_));
        ranges_unsupported_ = true;
        t.full = true;
        t.cursor = 0;
        t.end = total_;
      }
    } else {
      t.error_status = status;
    }
  }
  if (t.error_status != 0) {
    if (t.error_body.size() + len > kMaxErrorBody) return 0;
    t.error_body.append(data, len);
    return len;
  }
  std::size_t used = 0;
  while (used < len) {
    if (t.cursor >= t.end) {
      t.filled = true;
      return used;  // more than asked for: stop the transfer
    }
    // The part holding the cursor (parts are sorted and tile the blob).
    auto it = std::upper_bound(parts_.begin(), parts_.end(), t.cursor,
                               [](std::int64_t off, const store::PartialPart& p) { return off < p.offset; });
    auto& p = *(it - 1);
    const std::int64_t have = p.offset + p.completed;
    const std::int64_t part_end = p.offset + p.size;
    const std::int64_t avail = static_cast<std::int64_t>(len - used);
    if (t.cursor < have) {  // bytes we already hold
      const std::int64_t k = std::min(avail, have - t.cursor);
      t.cursor += k;
      used += static_cast<std::size_t>(k);
      continue;
    }
    if (t.cursor > have) {  // cannot happen with contiguous writers; never leave a hole
      const std::int64_t k = std::min(avail, part_end - t.cursor);
      t.cursor += k;
      used += static_cast<std::size_t>(k);
      continue;
    }
    const std::int64_t k = std::min({avail, part_end - t.cursor, t.end - t.cursor});
    const char* src = data + used;
    std::int64_t done = 0;
    while (done < k) {
      const ssize_t w = ::pwrite(file_.fd(), src + done, static_cast<std::size_t>(k - done), t.cursor + done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        const int err = w < 0 ? errno : EIO;
        fatal_ = err == ENOSPC ? fmt::format("no space left on device writing {}", file_.path().string())
                               : fmt::format("{}: write failed: {}", file_.path().string(), std::strerror(err));
        return 0;
      }
      done += w;
    }
    p.completed += k;
    t.cursor += k;
    t.written += k;
    fetched_ += k;
    used += static_cast<std::size_t>(k);
  }
  return used;
}

void Downloader::start(std::size_t part) {
  auto t = std::make_unique<Transfer>();
  t->owner = this;
  t->part = part;
  const auto& p = parts_[part];
  t->full = ranges_unsupported_;
  t->request_start = t->full ? 0 : p.offset + p.completed;
  t->cursor = t->request_start;
  t->end = t->full ? total_ : p.offset + p.size;
  t->easy = make_easy(url_, session_.settings(), true);
  CURL* c = t->easy.get();
  if (!t->full && !(t->request_start == 0 && t->end == total_)) {
    const std::string range = fmt::format("{}-{}", t->request_start, t->end - 1);
    curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());  // copied by libcurl
  }
  std::vector<std::string> headers;
  if (auto auth = session_.authorization_header(url_); !auth.empty()) headers.push_back(std::move(auth));
  t->header_list = make_header_list(headers);
  if (options_.max_bytes_per_second > 0) {
    // Each transfer gets an equal share of the limit.
    const int share = ranges_unsupported_
                          ? 1
                          : std::max(1, std::min<int>(options_.max_parallel_parts, static_cast<int>(parts_.size())));
    const curl_off_t limit = std::max<curl_off_t>(1024, options_.max_bytes_per_second / share);
    curl_easy_setopt(c, CURLOPT_MAX_RECV_SPEED_LARGE, limit);
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->header_list.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_easy_setopt(c, CURLOPT_PRIVATE, t.get());
  t->last_activity = Clock::now();
  if (curl_multi_add_handle(multi_.get(), c) != CURLM_OK) fail("libcurl: cannot start a transfer");
  t->multi = multi_.get();
  runs_[part].active = t.get();
  transfers_.push_back(std::move(t));
}

void Downloader::start_transfers() {
  const int max_active = ranges_unsupported_ ? 1 : std::max(1, options_.max_parallel_parts);
  const auto now = Clock::now();
  for (std::size_t i = 0; i < parts_.size() && static_cast<int>(transfers_.size()) < max_active; ++i) {
    if (parts_[i].completed == parts_[i].size || runs_[i].active != nullptr || runs_[i].not_before > now) continue;
    // One stream already carries the whole body: it fills this part too.
    if (ranges_unsupported_ && !transfers_.empty()) break;
    start(i);
  }
}

void Downloader::failed(std::size_t part, const Transfer& t, const std::string& reason) {
  auto& run = runs_[part];
  if (t.written > 0) run.attempts = 0;  // progress was made: count from here
  ++run.attempts;
  if (run.attempts >= options_.max_attempts) fail("max retries exceeded: {}", reason);
  const auto delay = backoff_delay(options_.retry_delay, run.attempts);
  log::info("registry: {} part {} attempt {} failed: {}; retrying in {} ms", short_hex(digest_), part, run.attempts,
            reason, delay.count());
  run.not_before = Clock::now() + delay;
}

void Downloader::finish(Transfer& t, CURLcode result) {
  const std::size_t part = t.part;
  runs_[part].active = nullptr;
  throw_pending();
  const auto& p = parts_[part];
  const bool complete = t.full ? all_complete() : p.completed == p.size;
  if (complete) {
    runs_[part].attempts = 0;
    return;
  }
  if (t.error_status != 0) {
    HttpResponse resp;
    resp.status = t.error_status;
    resp.headers = t.headers.headers();
    resp.body = t.error_body;
    if (t.error_status == 401) {
      if (++auth_refreshes_ > kMaxAuthRefresh) throw UnauthorizedError();
      session_.authenticate(resp.headers, url_);
      return;  // retry at once with the new credentials
    }
    if (is_retryable_status(t.error_status)) {
      failed(part, t, fmt::format("blob {}: {}", digest_, describe_http_error(resp)));
      return;
    }
    fail("blob {}: {}", digest_, describe_http_error(resp));
  }
  if (!t.abort_reason.empty()) {
    failed(part, t, t.abort_reason);
  } else if (result != CURLE_OK && !t.filled) {
    failed(part, t, describe_curl_error("GET", url_, result, t.error_buffer));
  } else {
    failed(part, t,
           fmt::format("GET {}: connection closed at byte {} of {}", url_without_query(url_), t.cursor, t.end));
  }
}

void Downloader::check_stalls() {
  const auto now = Clock::now();
  for (auto it = transfers_.begin(); it != transfers_.end();) {
    Transfer& t = **it;
    if (now - t.last_activity < options_.stall_timeout) {
      ++it;
      continue;
    }
    auto& run = runs_[t.part];
    run.active = nullptr;
    if (++run.stalls > kMaxStallsPerPart) fail("max retries exceeded: {} part {} stalled", short_hex(digest_), t.part);
    log::warn(
        "registry: {} part {} stalled; retrying. If this persists, press ctrl-c to exit, then 'pull' again to find a "
        "faster connection.",
        short_hex(digest_), t.part);
    run.not_before = now;
    it = transfers_.erase(it);  // removes the handle
  }
}

bool Downloader::can_hash() const {
  if (hashed_ >= total_ || hash_part_ >= parts_.size()) return false;
  const auto& p = parts_[hash_part_];
  return hashed_ < p.offset + p.completed;
}

bool Downloader::hash_some() {
  std::int64_t budget = kHashBudgetPerTurn;
  while (budget > 0 && can_hash()) {
    const auto& p = parts_[hash_part_];
    const std::int64_t n = std::min({p.offset + p.completed - hashed_, kHashChunk, budget});
    std::int64_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(file_.fd(), buffer_.data() + got, static_cast<std::size_t>(n - got), hashed_ + got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0)
        fail("{}: read failed while hashing: {}", file_.path().string(), r < 0 ? std::strerror(errno) : "EOF");
      got += r;
    }
    hasher_.update(buffer_.data(), static_cast<std::size_t>(n));
    hashed_ += n;
    budget -= n;
    if (hashed_ == p.offset + p.size) ++hash_part_;
  }
  return can_hash();
}

void Downloader::checkpoint(bool force) {
  // A small single-part blob is cheaper to fetch again than to checkpoint.
  if (parts_.size() == 1 && total_ < kMinCheckpointedBlob) return;
  const auto now = Clock::now();
  if (!force && now - last_checkpoint_ < options_.checkpoint_interval) return;
  last_checkpoint_ = now;
  bool synced = false;
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    if (parts_[i].completed == persisted_[i]) continue;
    // The data must be durable before the state that claims it.
    if (!synced) {
      file_.sync_data();
      synced = true;
    }
    store_.write_partial_part(digest_, parts_[i]);
    persisted_[i] = parts_[i].completed;
  }
}

void Downloader::report(bool force) {
  if (!progress_) return;
  const auto now = Clock::now();
  const std::int64_t done = completed_bytes(parts_);
  if (!force && (now - last_report_ < options_.progress_interval || done == last_reported_)) return;
  last_report_ = now;
  last_reported_ = done;
  progress_(Progress{status_, digest_, total_, done});
}

void Downloader::throw_pending() {
  if (!fatal_.empty()) fail("{}", fatal_);
}

void Downloader::transfer_all() {
  multi_.reset(curl_multi_init());
  if (!multi_) fail("libcurl: cannot create a transfer group");
  // Separate connections per part (no HTTP/2 multiplexing onto one).
  curl_multi_setopt(multi_.get(), CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_NOTHING));
  runs_.assign(parts_.size(), PartRun{});
  report(true);
  try {
    while (true) {
      session_.check_cancel();
      throw_pending();
      if (all_complete() && hashed_ >= total_) break;
      start_transfers();
      int running = 0;
      curl_multi_perform(multi_.get(), &running);
      throw_pending();
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Transfer* done = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&done));
        const CURLcode result = msg->data.result;
        auto it = std::find_if(transfers_.begin(), transfers_.end(), [&](const auto& t) { return t.get() == done; });
        if (it == transfers_.end()) continue;
        std::unique_ptr<Transfer> t = std::move(*it);
        transfers_.erase(it);
        finish(*t, result);
        checkpoint(true);
      }
      check_stalls();
      const bool more_hashing = hash_some();
      checkpoint(false);
      report(false);
      if (all_complete() && hashed_ >= total_) break;
      // Sleep on the sockets, but not past the next scheduled retry.
      auto wait = more_hashing ? std::chrono::milliseconds(0) : kPollInterval;
      const auto now = Clock::now();
      for (std::size_t i = 0; i < parts_.size(); ++i) {
        if (runs_[i].active || parts_[i].completed == parts_[i].size) continue;
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(runs_[i].not_before - now);
        wait = std::max(std::chrono::milliseconds(0), std::min(wait, until));
      }
      curl_multi_poll(multi_.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }
  } catch (...) {
    transfers_.clear();
    try {
      checkpoint(true);
    } catch (const std::exception& e) {
      log::warn("registry: could not save download state of {}: {}", short_hex(digest_), e.what());
    }
    throw;
  }
  transfers_.clear();
  report(true);
}

void report_existing(const ProgressFn& progress, const std::string& status, const std::string& digest,
                     std::int64_t size) {
  if (progress) progress(Progress{status, digest, size, size});
}

// Sum of the part state another downloader is writing (for waiting pulls).
std::int64_t completed_on_disk(const store::Store& store, const std::string& digest) {
  return completed_bytes(store.read_partial_parts(digest));
}

}  // namespace

BlobDownloadResult download_blob(const store::Store& store, Session& session, const PullOptions& options,
                                 const std::string& digest_in, std::int64_t size, const std::string& status,
                                 const ProgressFn& progress) {
  const std::string digest = store::require_digest(digest_in);
  if (size < 0) fail("blob {}: negative size {}", digest, size);
  BlobDownloadResult result;

  if (const auto have = store.blob_size(digest)) {
    if (*have == size) {
      result.existed = true;
      report_existing(progress, status, digest, size);
      return result;
    }
    // The size disagrees: either the manifest is wrong or the local file is damaged.
    if ("sha256:" + sha256_file_hex(store.blob_path(digest).string()) == digest)
      fail("blob {}: the manifest says {} bytes but its content has {}", digest, size, *have);
    log::warn("registry: stored blob {} is damaged; downloading it again", digest);
    store.remove_blob(digest);
  }
  if (size == 0) {
    if (digest != "sha256:" + sha256_hex(""))
      throw DigestMismatchError(fmt::format("digest mismatch, file must be downloaded again: want {}, got sha256:{}",
                                            digest, sha256_hex("")));
    store.write_blob("");
    report_existing(progress, status, digest, 0);
    return result;
  }

  auto last_wait_report = std::chrono::steady_clock::time_point{};
  while (true) {
    session.check_cancel();
    if (store.has_blob(digest)) {  // another pull finished it
      result.existed = true;
      report_existing(progress, status, digest, size);
      return result;
    }
    PartialFile file(store, digest);
    if (!file.try_lock()) {
      const auto now = std::chrono::steady_clock::now();
      if (progress && now - last_wait_report >= std::chrono::milliseconds(500)) {
        last_wait_report = now;
        progress(Progress{status, digest, size, std::min(size, completed_on_disk(store, digest))});
      }
      if (!sleep_unless_cancelled(kLockPollInterval, session.cancel())) session.cancelled();
      continue;
    }
    if (!file.is_current()) continue;  // renamed or removed by the holder we waited for
    if (store.has_blob(digest)) {
      file.discard(store, digest);
      continue;
    }
    Downloader d(store, session, options, digest, size, status, progress, file);
    return d.run();
  }
}

}  // namespace corral::registry
