// ApiClient over cpp-httplib (see api_client.h). Every call uses its own
// httplib::Client, so calls from several threads do not share a socket.
#include "cli/api_client.h"

#include <httplib.h>

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>

#include "api/responses.h"
#include "api/status_error.h"

#ifndef CORRAL_VERSION
#define CORRAL_VERSION "0.0.0"
#endif

namespace corral::cli {

namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(5);
// Generations can pause for a long time (a large model loading): the server,
// not a client timeout, decides when a request is over. Ctrl-C cancels.
constexpr auto kReadTimeout = std::chrono::hours(24);

std::unique_ptr<httplib::Client> make_client(const ServerAddress& a) {
  auto c = std::make_unique<httplib::Client>(a.origin());
  c->set_connection_timeout(kConnectTimeout);
  c->set_read_timeout(kReadTimeout);
  c->set_write_timeout(kReadTimeout);
  c->set_keep_alive(false);
  c->set_default_headers({{"User-Agent", user_agent()}, {"Accept", "application/json"}});
  return c;
}

bool is_connection_failure(httplib::Error e) {
  return e == httplib::Error::Connection || e == httplib::Error::ConnectionTimeout ||
         e == httplib::Error::BindIPAddress || e == httplib::Error::SSLConnection;
}

[[noreturn]] void throw_transport_error(const ServerAddress& a, httplib::Error e) {
  if (is_connection_failure(e))
    throw ConnectionError("could not connect to a corral server at " + a.host_port());
  throw corral::Error("request to the server at " + a.host_port() + " failed: " + httplib::to_string(e));
}

// The error text of a failed response: its {"error": ...} field, else the body.
[[noreturn]] void throw_status_error(int status, const std::string& body) {
  std::string message;
  try {
    const auto j = api::Json::parse(body);
    message = api::response_error(j);
  } catch (const std::exception&) {
  }
  if (message.empty()) {
    message = body;
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  }
  if (message.empty()) message = "the server answered with status " + std::to_string(status);
  api::fail_status(status, message);
}

api::Json parse_reply(const std::string& body) {
  if (body.empty()) return nullptr;
  try {
    return api::Json::parse(body);
  } catch (const std::exception&) {
    return body;  // a text reply ("Ollama is running")
  }
}

}  // namespace

std::string user_agent() {
#if defined(__x86_64__)
  const char* arch = "amd64";
#elif defined(__aarch64__)
  const char* arch = "arm64";
#else
  const char* arch = "unknown";
#endif
  return std::string("corral/") + CORRAL_VERSION + " (" + arch + " linux)";
}

ApiClient::ApiClient(ServerAddress address) : address_(std::move(address)) {}

bool ApiClient::heartbeat(std::chrono::milliseconds timeout) const {
  auto c = make_client(address_);
  c->set_connection_timeout(timeout);
  c->set_read_timeout(timeout);
  auto res = c->Head(url_path("/").c_str());
  return res && res->status >= 200 && res->status < 300;
}

api::Json ApiClient::call(const std::string& method, const std::string& path, const api::Json* body) const {
  auto c = make_client(address_);
  const std::string p = url_path(path);
  const std::string text = body ? body->dump() : std::string();
  httplib::Result res = method == "GET"    ? c->Get(p.c_str())
                        : method == "POST" ? c->Post(p.c_str(), text, "application/json")
                                           : c->Delete(p.c_str(), text, "application/json");
  if (!res) throw_transport_error(address_, res.error());
  if (res->status < 200 || res->status >= 300) throw_status_error(res->status, res->body);
  return parse_reply(res->body);
}

api::Json ApiClient::get(const std::string& path) const { return call("GET", path, nullptr); }
api::Json ApiClient::post(const std::string& path, const api::Json& body) const { return call("POST", path, &body); }
api::Json ApiClient::del(const std::string& path, const api::Json& body) const { return call("DELETE", path, &body); }

ApiClient::StreamEnd ApiClient::stream(const std::string& path, const api::Json& body,
                                       const std::function<bool(const api::Json&)>& on_line,
                                       const std::atomic<bool>* cancel) const {
  auto c = make_client(address_);
  httplib::Request req;
  req.method = "POST";
  req.path = url_path(path);
  req.body = body.dump();
  req.set_header("Content-Type", "application/json");
  req.set_header("Accept", "application/x-ndjson");
  req.set_header("User-Agent", user_agent());

  int status = 0;
  std::string error_body;   // the body of a non-2xx reply
  std::string pending;      // an incomplete NDJSON line
  bool stopped_by_caller = false;
  std::exception_ptr line_error;

  auto handle_line = [&](std::string_view line) -> bool {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) return true;
    api::Json j;
    try {
      j = api::Json::parse(line);
    } catch (const std::exception&) {
      line_error = std::make_exception_ptr(
          corral::Error("the server sent a line that is not JSON: " + std::string(line.substr(0, 200))));
      return false;
    }
    if (const std::string err = api::response_error(j); !err.empty()) {
      line_error = std::make_exception_ptr(api::StatusError(status ? status : 500, err));
      return false;
    }
    try {
      if (!on_line(j)) {
        stopped_by_caller = true;
        return false;
      }
    } catch (...) {
      line_error = std::current_exception();
      return false;
    }
    return true;
  };

  req.response_handler = [&](const httplib::Response& r) {
    status = r.status;
    return true;
  };
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (cancel && cancel->load()) return false;
    if (status < 200 || status >= 300) {
      if (error_body.size() < (1u << 20)) error_body.append(data, n);
      return true;
    }
    pending.append(data, n);
    std::size_t start = 0;
    for (;;) {
      const auto nl = pending.find('\n', start);
      if (nl == std::string::npos) break;
      if (!handle_line(std::string_view(pending).substr(start, nl - start))) return false;
      start = nl + 1;
    }
    pending.erase(0, start);
    return true;
  };

  // A watcher closes the socket when *cancel becomes true, so a silent server
  // (a model still loading, a long prompt) cannot delay the cancel.
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  std::thread watcher;
  if (cancel) {
    watcher = std::thread([&] {
      std::unique_lock lock(m);
      while (!finished) {
        if (cancel->load()) {
          c->stop();
          return;
        }
        cv.wait_for(lock, std::chrono::milliseconds(20));
      }
    });
  }

  httplib::Response res;
  httplib::Error err = httplib::Error::Success;
  const bool ok = c->send(req, res, err);
  if (watcher.joinable()) {
    {
      std::lock_guard lock(m);
      finished = true;
    }
    cv.notify_all();
    watcher.join();
  }

  if (line_error) std::rethrow_exception(line_error);
  if (cancel && cancel->load()) return StreamEnd::cancelled;
  if (stopped_by_caller) return StreamEnd::cancelled;
  if (!ok) throw_transport_error(address_, err);
  if (status < 200 || status >= 300) throw_status_error(status, error_body);
  if (!pending.empty()) {
    if (!handle_line(pending)) {
      if (line_error) std::rethrow_exception(line_error);
      return StreamEnd::cancelled;
    }
  }
  return StreamEnd::finished;
}

bool ApiClient::has_blob(const std::string& digest) const {
  auto c = make_client(address_);
  auto res = c->Head(url_path("/api/blobs/" + digest).c_str());
  if (!res) throw_transport_error(address_, res.error());
  if (res->status == 200) return true;
  if (res->status == 404) return false;
  throw_status_error(res->status, res->body);
}

void ApiClient::upload_blob(const std::string& digest, const std::filesystem::path& file,
                            const std::function<void(std::uint64_t, std::uint64_t)>& on_progress) const {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) fail("cannot read {}: {}", file.string(), ec.message());
  auto in = std::make_shared<std::ifstream>(file, std::ios::binary);
  if (!*in) fail("cannot open {}", file.string());
  auto c = make_client(address_);
  std::vector<char> buf(1 << 20);
  auto provider = [&](size_t offset, size_t length, httplib::DataSink& sink) {
    in->seekg(static_cast<std::streamoff>(offset));
    const auto n = std::min(length, buf.size());
    in->read(buf.data(), static_cast<std::streamsize>(n));
    const auto got = static_cast<size_t>(in->gcount());
    if (got == 0) return false;
    if (!sink.write(buf.data(), got)) return false;
    if (on_progress) on_progress(offset + got, size);
    return true;
  };
  auto res = c->Post(url_path("/api/blobs/" + digest).c_str(), static_cast<size_t>(size), provider,
                     "application/octet-stream");
  if (!res) throw_transport_error(address_, res.error());
  if (res->status < 200 || res->status >= 300) throw_status_error(res->status, res->body);
  if (on_progress) on_progress(size, size);
}

}  // namespace corral::cli
