// One-shot HTTP requests over libcurl, and the easy-handle setup shared
// with the blob downloader.
#include "registry/http_client.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "registry/url.h"

namespace corral::registry {
namespace {

constexpr std::size_t kMaxHeaderBytes = 256 * 1024;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

struct PerformState {
  const HttpRequest* request = nullptr;
  const HttpSettings* settings = nullptr;
  HeaderCollector headers;
  std::string body;
  bool body_too_long = false;
  std::int64_t sent = 0;
  int read_errno = 0;
};

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* st = static_cast<PerformState*>(user);
  st->headers.on_line(std::string_view(data, size * n));
  return size * n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* st = static_cast<PerformState*>(user);
  const std::size_t len = size * n;
  if (st->body.size() + len > st->request->max_response_body) {
    st->body_too_long = true;
    return 0;
  }
  st->body.append(data, len);
  return len;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* st = static_cast<PerformState*>(user);
  const HttpRequest& r = *st->request;
  const std::size_t cap = size * n;
  if (r.body_fd < 0) {
    const auto left = static_cast<std::int64_t>(r.body.size()) - st->sent;
    const auto take = static_cast<std::size_t>(std::min<std::int64_t>(left, static_cast<std::int64_t>(cap)));
    std::memcpy(buffer, r.body.data() + st->sent, take);
    st->sent += static_cast<std::int64_t>(take);
    return take;
  }
  const std::int64_t left = r.body_size - st->sent;
  if (left <= 0) return 0;
  const auto want = static_cast<std::size_t>(std::min<std::int64_t>(left, static_cast<std::int64_t>(cap)));
  const ssize_t got = ::pread(r.body_fd, buffer, want, r.body_offset + st->sent);
  if (got < 0) {
    st->read_errno = errno;
    return CURL_READFUNC_ABORT;
  }
  if (got == 0) {
    st->read_errno = EIO;  // the file shrank under us
    return CURL_READFUNC_ABORT;
  }
  st->sent += got;
  return static_cast<std::size_t>(got);
}

// Rewinds the request body when curl must send it again (auth, redirect).
int on_seek(void* user, curl_off_t offset, int origin) {
  auto* st = static_cast<PerformState*>(user);
  if (origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  st->sent = offset;
  return CURL_SEEKFUNC_OK;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t ulnow) {
  auto* st = static_cast<PerformState*>(user);
  if (st->settings->cancel && st->settings->cancel->load()) return 1;
  if (st->request->on_upload_progress && ulnow > 0) st->request->on_upload_progress(ulnow);
  return 0;
}

}  // namespace

std::optional<std::string> HttpHeaders::get(std::string_view lower_name) const {
  for (const auto& [k, v] : items)
    if (k == lower_name) return v;
  return std::nullopt;
}

void HeaderCollector::on_line(std::string_view line) {
  bytes_ += line.size();
  if (bytes_ > kMaxHeaderBytes) return;  // absurd header block: keep what we have
  line = trim(line);
  if (line.empty()) return;
  if (line.substr(0, 5) == "HTTP/") {
    headers_.items.clear();
    status_ = 0;
    const auto sp = line.find(' ');
    if (sp != std::string_view::npos) {
      long code = 0;
      std::size_t i = sp + 1;
      int digits = 0;
      while (i < line.size() && line[i] >= '0' && line[i] <= '9' && digits < 3) {
        code = code * 10 + (line[i] - '0');
        ++i;
        ++digits;
      }
      if (digits == 3) status_ = code;
    }
    return;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;
  headers_.items.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
}

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail("libcurl initialisation failed");
  });
}

HeaderList make_header_list(const std::vector<std::string>& headers) {
  curl_slist* list = nullptr;
  for (const auto& h : headers) {
    curl_slist* next = curl_slist_append(list, h.c_str());
    if (next == nullptr) {
      curl_slist_free_all(list);
      fail("out of memory building request headers");
    }
    list = next;
  }
  return HeaderList(list);
}

EasyHandle make_easy(const std::string& url, const HttpSettings& settings, bool follow_redirects) {
  ensure_curl_initialized();
  EasyHandle h(curl_easy_init());
  if (!h) fail("libcurl: cannot create a transfer");
  CURL* c = h.get();
  const char* protocols = settings.allow_http ? "http,https" : "https";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout.count()));
  if (!settings.user_agent.empty()) curl_easy_setopt(c, CURLOPT_USERAGENT, settings.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, follow_redirects ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  // Never send credentials to a host other than the one asked.
  curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
  if (settings.share != nullptr) curl_easy_setopt(c, CURLOPT_SHARE, settings.share);
  return h;
}

ConnectionCache::ConnectionCache() {
  ensure_curl_initialized();
  share_ = curl_share_init();
  if (share_ == nullptr) fail("libcurl: cannot create a connection cache");
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

ConnectionCache::~ConnectionCache() { curl_share_cleanup(share_); }

std::string describe_curl_error(std::string_view method, std::string_view url, CURLcode code,
                                const char* error_buffer) {
  std::string why = (error_buffer != nullptr && error_buffer[0] != '\0') ? std::string(error_buffer)
                                                                         : std::string(curl_easy_strerror(code));
  return fmt::format("{} {}: {}", method, url_without_query(url), why);
}

HttpResponse http_perform(const HttpRequest& request, const HttpSettings& settings) {
  if (settings.cancel && settings.cancel->load()) throw RequestCancelled();
  EasyHandle h = make_easy(request.url, settings, request.follow_redirects);
  CURL* c = h.get();
  PerformState st;
  st.request = &request;
  st.settings = &settings;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &st);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &st);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &st);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  // Stall detection: fewer than 1 byte/s for the stall timeout aborts.
  const long stall_s = std::max<long>(1, static_cast<long>((settings.stall_timeout.count() + 999) / 1000));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, stall_s);

  std::vector<std::string> headers = request.headers;
  const bool has_body = request.body_fd >= 0 || !request.body.empty();
  if (request.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || has_body) {
    const std::int64_t size = request.body_fd >= 0 ? request.body_size : static_cast<std::int64_t>(request.body.size());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &st);
    curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(c, CURLOPT_SEEKDATA, &st);
    if (request.method != "PUT") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    headers.emplace_back("Expect:");  // no 100-continue round trip
  }
  HeaderList list = make_header_list(headers);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());

  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_ABORTED_BY_CALLBACK && settings.cancel && settings.cancel->load()) throw RequestCancelled();
  if (st.body_too_long)
    fail("{} {}: response body is larger than {} bytes", request.method, url_without_query(request.url),
         request.max_response_body);
  if (st.read_errno != 0)
    fail("{} {}: reading the upload: {}", request.method, url_without_query(request.url), std::strerror(st.read_errno));
  if (rc != CURLE_OK) throw TransportError(describe_curl_error(request.method, request.url, rc, error_buffer));

  HttpResponse resp;
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  resp.status = code != 0 ? code : st.headers.status();
  resp.headers = st.headers.headers();
  resp.body = std::move(st.body);
  char* eff = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff != nullptr) resp.effective_url = eff;
  if (resp.effective_url.empty()) resp.effective_url = request.url;
  return resp;
}

}  // namespace corral::registry
