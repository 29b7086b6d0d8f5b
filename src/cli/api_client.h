// ApiClient: the CLI's HTTP client for the server's API (cpp-httplib). JSON
// calls, NDJSON streams (one callback per line, cancellable from another
// thread or a signal flag), blob existence checks and uploads with progress.
// Errors: ConnectionError when nothing answers at the address; api::StatusError
// with the server's status and {"error": ...} text otherwise (an error line in
// the middle of a stream arrives as StatusError too).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "api/types.h"
#include "cli/server_address.h"
#include "util/error.h"

namespace corral::cli {

// No server answered (refused, unreachable, timed out while connecting).
class ConnectionError : public corral::Error {
 public:
  using corral::Error::Error;
};

class ApiClient {
 public:
  explicit ApiClient(ServerAddress address);

  const ServerAddress& address() const { return address_; }

  // HEAD /: true when a server answers with 2xx.
  bool heartbeat(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) const;

  // GET / POST / DELETE with JSON; the reply body parsed (null when empty).
  api::Json get(const std::string& path) const;
  api::Json post(const std::string& path, const api::Json& body) const;
  api::Json del(const std::string& path, const api::Json& body) const;

  enum class StreamEnd { finished, cancelled };
  // POSTs `body` and calls on_line for each NDJSON object of the reply, in
  // order. Returns `cancelled` when *cancel became true (the connection is
  // closed at once, even while the server is silent) or when on_line returned
  // false. Throws StatusError for an error status or an {"error"} line.
  StreamEnd stream(const std::string& path, const api::Json& body,
                   const std::function<bool(const api::Json&)>& on_line,
                   const std::atomic<bool>* cancel = nullptr) const;

  // HEAD /api/blobs/<digest>: true when the server already has the blob.
  bool has_blob(const std::string& digest) const;
  // POST /api/blobs/<digest> with the file's bytes; on_progress(sent, total)
  // is called as they go.
  void upload_blob(const std::string& digest, const std::filesystem::path& file,
                   const std::function<void(std::uint64_t, std::uint64_t)>& on_progress = {}) const;

 private:
  std::string url_path(const std::string& path) const { return address_.base_path + path; }
  api::Json call(const std::string& method, const std::string& path, const api::Json* body) const;

  ServerAddress address_;
};

// The User-Agent the CLI sends: "corral/<version> (<arch> linux)".
std::string user_agent();

}  // namespace corral::cli
