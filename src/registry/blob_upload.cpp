// The blob uploader.
#include "registry/blob_upload.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include "registry/retry.h"
#include "registry/url.h"
#include "store/digest.h"
#include "util/log.h"

namespace corral::registry {
namespace {

using Clock = std::chrono::steady_clock;

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// A status that is worth a fresh upload attempt.
class RetryableUploadError : public Error {
 public:
  using Error::Error;
};

std::string location_of(const HttpResponse& resp, const std::string& request_url) {
  auto loc = resp.headers.get("docker-upload-location");
  if (!loc || loc->empty()) loc = resp.headers.get("location");
  if (!loc || loc->empty())
    fail("{}: the registry gave no upload location ({})", url_without_query(request_url), resp.status);
  return resolve_url(request_url, *loc);
}

[[noreturn]] void status_error(const std::string& what, const HttpResponse& resp) {
  if (is_retryable_status(resp.status)) throw RetryableUploadError(what + ": " + describe_http_error(resp));
  fail("{}: {}", what, describe_http_error(resp));
}

// MD5 of a file range (Ollama's per-part etag input).
std::string md5_range(int fd, std::int64_t offset, std::int64_t size) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1) fail("md5: init failed");
  std::vector<char> buf(1 << 20);
  std::int64_t done = 0;
  while (done < size) {
    const auto want =
        static_cast<std::size_t>(std::min<std::int64_t>(size - done, static_cast<std::int64_t>(buf.size())));
    const ssize_t r = ::pread(fd, buf.data(), want, offset + done);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) fail("reading blob for upload: {}", r < 0 ? std::strerror(errno) : "unexpected end of file");
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(r));
    done += r;
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.get(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hex(std::string_view bytes) {
  static constexpr char k[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += k[static_cast<unsigned char>(c) >> 4];
    out += k[static_cast<unsigned char>(c) & 15];
  }
  return out;
}

class Uploader {
 public:
  Uploader(Session& session, const PushOptions& options, const store::Layer& layer, const std::string& status,
           const ProgressFn& progress, int fd)
      : session_(session), options_(options), layer_(layer), status_(status), progress_(progress), fd_(fd) {}

  BlobUploadResult run() {
    BlobUploadResult result;
    for (int attempt = 1;; ++attempt) {
      confirmed_ = 0;
      try {
        attempt_once(result);
        report(layer_.size, true);
        return result;
      } catch (const RetryableUploadError& e) {
        retry_or_fail(attempt, e.what());
      } catch (const TransportError& e) {
        retry_or_fail(attempt, e.what());
      }
    }
  }

 private:
  void retry_or_fail(int attempt, const std::string& why) {
    if (attempt >= options_.max_attempts) fail("max retries exceeded: {}", why);
    const auto delay = backoff_delay(options_.retry_delay, attempt);
    log::info("registry: {} upload attempt {} failed: {}; retrying in {} ms", layer_.digest.substr(7, 12), attempt, why,
              delay.count());
    if (!sleep_unless_cancelled(delay, session_.cancel())) session_.cancelled();
  }

  void report(std::int64_t completed, bool force) {
    if (!progress_) return;
    const auto now = Clock::now();
    if (!force && now - last_report_ < options_.progress_interval) return;
    last_report_ = now;
    progress_(Progress{status_, layer_.digest, layer_.size, std::min(completed, layer_.size)});
  }

  void attempt_once(BlobUploadResult& result) {
    const std::string start_url = start_session(result);
    if (start_url.empty()) return;  // mounted
    report(0, true);
    std::string next = start_url;
    const std::int64_t chunk = std::max<std::int64_t>(1, options_.chunk_size);
    std::string md5s;
    int parts = 0;
    for (std::int64_t off = 0; off < layer_.size; off += chunk) {
      const std::int64_t len = std::min(chunk, layer_.size - off);
      md5s += md5_range(fd_, off, len);
      next = send_chunk(next, off, len);
      confirmed_ = off + len;
      ++parts;
      ++result.chunks;
      report(confirmed_, false);
    }
    // Ollama's etag: md5 over the parts' md5s, then the part count.
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), md5s.data(), md5s.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), out, &n) != 1)
      fail("md5: failed");
    const std::string etag = fmt::format("{}-{}", hex(std::string_view(reinterpret_cast<char*>(out), n)), parts);
    HttpRequest commit;
    commit.method = "PUT";
    commit.url = append_query(append_query(next, "digest", layer_.digest), "etag", etag);
    commit.headers = {"Content-Type: application/octet-stream"};
    const HttpResponse resp = session_.send(commit, false);
    if (resp.status < 200 || resp.status > 299) status_error("committing blob " + layer_.digest, resp);
  }

  // POST uploads/; returns the upload URL, or "" when the blob was mounted.
  std::string start_session(BlobUploadResult& result) {
    HttpRequest req;
    req.method = "POST";
    req.url = session_.repository_url("blobs/uploads/");
    if (!layer_.from.empty()) {
      const store::ModelName from = store::ModelName::parse(layer_.from);
      if (from.is_valid()) {
        req.url = append_query(req.url, "mount", layer_.digest);
        req.url = append_query(req.url, "from", from.namespace_model());
      }
    }
    const HttpResponse resp = session_.send(req, true);
    if (resp.status == 201) {
      result.mounted = true;
      return {};
    }
    if (resp.status != 202) status_error("starting the upload of " + layer_.digest, resp);
    return location_of(resp, req.url);
  }

  // PATCH one chunk (or PUT it to storage after a 307); returns the next upload URL.
  std::string send_chunk(const std::string& url, std::int64_t off, std::int64_t len) {
    HttpRequest req;
    req.method = "PATCH";
    req.url = url;
    req.headers = {"Content-Type: application/octet-stream", "X-Redirect-Uploads: 1",
                   fmt::format("Content-Range: {}-{}", off, off + len - 1)};
    req.body_fd = fd_;
    req.body_offset = off;
    req.body_size = len;
    req.on_upload_progress = [&](std::int64_t sent) { report(confirmed_ + sent, false); };
    const HttpResponse resp = session_.send(req, false);
    if (resp.status == 307) {
      const auto target = resp.headers.get("location");
      if (!target || target->empty()) fail("PATCH {}: 307 without a Location", url_without_query(url));
      put_to_storage(resolve_url(url, *target), off, len);
      return location_of(resp, url);
    }
    if (resp.status != 202 && resp.status != 204) status_error("uploading blob " + layer_.digest, resp);
    return location_of(resp, url);
  }

  // A chunk to pre-signed storage: a plain PUT without registry credentials.
  void put_to_storage(const std::string& url, std::int64_t off, std::int64_t len) {
    HttpRequest req;
    req.method = "PUT";
    req.url = url;
    req.headers = {"Content-Type: application/octet-stream"};
    req.body_fd = fd_;
    req.body_offset = off;
    req.body_size = len;
    req.on_upload_progress = [&](std::int64_t sent) { report(confirmed_ + sent, false); };
    for (int attempt = 1;; ++attempt) {
      session_.check_cancel();
      try {
        const HttpResponse resp = http_perform(req, session_.settings());
        if (resp.status >= 200 && resp.status <= 299) return;
        if (!is_retryable_status(resp.status)) status_error("uploading blob " + layer_.digest + " to storage", resp);
        if (attempt >= options_.max_attempts)
          fail("max retries exceeded: uploading blob {} to storage: {}", layer_.digest, describe_http_error(resp));
      } catch (const RequestCancelled&) {
        session_.cancelled();
      } catch (const TransportError& e) {
        if (attempt >= options_.max_attempts) fail("max retries exceeded: {}", e.what());
      }
      if (!sleep_unless_cancelled(backoff_delay(options_.retry_delay, attempt), session_.cancel()))
        session_.cancelled();
    }
  }

  Session& session_;
  const PushOptions& options_;
  const store::Layer& layer_;
  const std::string& status_;
  const ProgressFn& progress_;
  int fd_;
  std::int64_t confirmed_ = 0;
  Clock::time_point last_report_{};
};

}  // namespace

BlobUploadResult upload_blob(const store::Store& store, Session& session, const PushOptions& options,
                             const store::Layer& layer, const std::string& status, const ProgressFn& progress) {
  const std::string digest = store::require_digest(layer.digest);
  Fd file;
  file.fd = ::open(store.blob_path(digest).c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    if (errno == ENOENT) fail("blob {} is missing from the store", digest);
    fail("{}: cannot open: {}", store.blob_path(digest).string(), std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) fail("{}: cannot stat: {}", store.blob_path(digest).string(), std::strerror(errno));
  if (static_cast<std::int64_t>(st.st_size) != layer.size)
    fail("blob {} in the store has {} bytes but the manifest says {}", digest, static_cast<std::int64_t>(st.st_size),
         layer.size);

  HttpRequest head;
  head.method = "HEAD";
  head.url = session.blob_url(digest);
  const HttpResponse resp = session.send(head, true);
  if (resp.status == 200) {
    if (progress) progress(Progress{status, digest, layer.size, layer.size});
    return BlobUploadResult{true, false, 0};
  }
  if (resp.status != 404) fail("checking blob {}: {}", digest, describe_http_error(resp));

  Uploader up(session, options, layer, status, progress, file.fd);
  return up.run();
}

}  // namespace corral::registry
