// Test harness for the HTTP server: generated GGUF models imported into a
// temporary store, an in-process Server on a free loopback port (optionally
// with a fake engine), JSON/NDJSON/SSE helpers over httplib::Client, and a
// raw socket connection for tests that hang up mid-request.
#pragma once

#include <httplib.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/json_fields.h"
#include "server/server.h"
#include "testutil/temp_dir.h"

namespace corral::server::test {

using Json = api::Json;

// A template using .System, .Messages, .Thinking, .ToolCalls and .Tools: the
// model gets the completion, tools and thinking capabilities, the thinking
// tags <think>/</think> and the tool-call tag <tool_call>.
extern const char* const kChatTemplate;

// Writes a small llama GGUF (synthetic vocabulary) and stores it as `name`
// with the given template (empty: none) and parameters JSON (may be null).
void add_model(const std::filesystem::path& models_dir, const std::filesystem::path& work_dir, const std::string& name,
               const std::string& template_text = kChatTemplate, const Json& parameters = nullptr,
               std::uint64_t seed = 42);

struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
  Json json() const;
};

class TestServer {
 public:
  // `configure` adjusts the config (models dir and port are set already).
  explicit TestServer(const std::filesystem::path& models_dir,
                      const std::function<void(ServerConfig&)>& configure = {}, EngineFactory factory = {},
                      MemoryProbe probe = {});
  ~TestServer();

  int port() const { return server_->port(); }
  ServerContext& context() { return server_->context(); }

  Reply get(const std::string& path, const httplib::Headers& headers = {});
  Reply post(const std::string& path, const std::string& body, const httplib::Headers& headers = {});
  Reply post(const std::string& path, const Json& body) { return post(path, body.dump()); }
  Reply del(const std::string& path, const std::string& body);
  Reply head(const std::string& path);
  Reply options(const std::string& path, const httplib::Headers& headers);
  // Lines of an NDJSON body, parsed.
  static std::vector<Json> ndjson(const std::string& body);
  // The data objects of an SSE body; sets *done when "data: [DONE]" ends it.
  static std::vector<Json> sse(const std::string& body, bool* done = nullptr);

 private:
  std::unique_ptr<Server> server_;
};

// A raw HTTP/1.1 connection: send a request, read what arrives, hang up.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  void send_post(const std::string& path, const std::string& body);
  // Reads until `needle` has arrived (or the timeout); returns all read so far.
  std::string read_until(const std::string& needle, int timeout_ms = 10000);
  void close();

 private:
  int fd_ = -1;
  std::string buf_;
};

}  // namespace corral::server::test
