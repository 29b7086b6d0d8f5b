// A thin libcurl layer for the registry client: one request/response at a
// time (manifests, tokens, HEAD, upload steps) with bounded response
// bodies, cancellation, stall and connect timeouts, and the easy-handle
// setup shared with the parallel blob downloader (protocols, user agent,
// redirects that never carry Authorization to another host).
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.h"

namespace corral::registry {

// Response headers, names lower-cased, in arrival order (the last response's
// only, when redirects were followed).
struct HttpHeaders {
  std::vector<std::pair<std::string, std::string>> items;
  std::optional<std::string> get(std::string_view lower_name) const;
};

// Collects a response's status and headers from curl's header callback;
// a new status line (a redirect hop, a 100 Continue) starts over.
class HeaderCollector {
 public:
  void on_line(std::string_view line);
  long status() const { return status_; }
  const HttpHeaders& headers() const { return headers_; }

 private:
  long status_ = 0;
  HttpHeaders headers_;
  std::size_t bytes_ = 0;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // request body (when body_fd < 0)
  int body_fd = -1;                  // or a file range as the body
  std::int64_t body_offset = 0;
  std::int64_t body_size = 0;
  bool follow_redirects = false;
  // Longest response body kept; a longer one is an Error naming the URL.
  std::size_t max_response_body = 1 << 20;
  // Bytes of the request body sent so far (uploads).
  std::function<void(std::int64_t)> on_upload_progress;
};

struct HttpResponse {
  long status = 0;
  HttpHeaders headers;
  std::string body;
  std::string effective_url;  // after redirects
};

// What every transfer shares: timeouts, cancellation, protocols, identity.
struct HttpSettings {
  std::chrono::milliseconds connect_timeout{30000};
  std::chrono::milliseconds stall_timeout{30000};
  bool allow_http = false;  // else https only (redirects included)
  std::string user_agent;
  const std::atomic<bool>* cancel = nullptr;
  // Connection pool, DNS and TLS session cache shared by the requests of one
  // pull or push (used from one thread at a time), or null.
  CURLSH* share = nullptr;
};

// Owns a curl share handle with connections, DNS and TLS sessions shared.
class ConnectionCache {
 public:
  ConnectionCache();
  ~ConnectionCache();
  ConnectionCache(const ConnectionCache&) = delete;
  ConnectionCache& operator=(const ConnectionCache&) = delete;
  CURLSH* get() const { return share_; }

 private:
  CURLSH* share_ = nullptr;
};

// A failure below HTTP (DNS, connect, TLS, reset, stall): worth a retry.
class TransportError : public corral::Error {
 public:
  using corral::Error::Error;
};

// Thrown when settings.cancel was raised during a request.
class RequestCancelled : public corral::Error {
 public:
  RequestCancelled() : corral::Error("request cancelled") {}
};

// Performs one request. Throws TransportError, RequestCancelled, or Error
// for a body over the limit; any HTTP status is returned, not thrown.
HttpResponse http_perform(const HttpRequest& request, const HttpSettings& settings);

// curl_global_init once per process.
void ensure_curl_initialized();

// Owns a CURL easy handle.
struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

// Owns a curl header list.
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;
HeaderList make_header_list(const std::vector<std::string>& headers);

// A fresh easy handle for `url` with the common options: protocols
// (https, plus http when allowed) for the request and any redirect, user
// agent, connect timeout, no signals, TCP keep-alive. Redirects, when
// followed, keep Authorization on the same host only (libcurl's default).
EasyHandle make_easy(const std::string& url, const HttpSettings& settings, bool follow_redirects);

// "GET https://host/path: <curl error text>" without the query string.
std::string describe_curl_error(std::string_view method, std::string_view url, CURLcode code, const char* error_buffer);

}  // namespace corral::registry
