// CorralServer: `corral serve` for a test, on a free port with a temporary
// OLLAMA_MODELS and HOME, stopped (SIGTERM) at the end. It can import the
// tolstoy demo model through the HTTP API (blob upload + /api/create, as a
// client would) and run the corral CLI against itself. Tests skip with a
// message when the binary is missing or the server lacks a route they need
// (the server is written alongside the CLI).
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/process.h"
#include "testutil/temp_dir.h"

namespace corral::test {

class CorralServer {
 public:
  // The corral binary, or nullopt when it was not built.
  static std::optional<std::string> binary();

  CorralServer();  // throws std::runtime_error with the log tail if it does not come up
  ~CorralServer();
  CorralServer(const CorralServer&) = delete;
  CorralServer& operator=(const CorralServer&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::filesystem::path home() const { return dir_.path() / "home"; }
  std::filesystem::path models() const { return dir_.path() / "models"; }
  // OLLAMA_HOST, HOME and LANG for CLI processes.
  std::map<std::string, std::string> env() const;
  std::string log() const;

  // True when the server answers `method path` with something other than
  // its "404 page not found" for unknown routes.
  bool has_route(const std::string& method, const std::string& path) const;

  // Uploads models/tolstoy/tolstoy-q8_0.gguf and creates `name` from the
  // demo Modelfile through the API. Returns an error text ("" on success).
  std::string create_tolstoy(const std::string& name = "tolstoy") const;
  // POST /api/create with this body (stream false). Returns an error text ("" on success).
  std::string create(const nlohmann::json& body) const;

  // `corral <args>` against this server.
  ProcessResult cli(const std::vector<std::string>& args, const std::string& stdin_data = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(120)) const;

 private:
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// The project's demo Modelfile and weights.
std::filesystem::path tolstoy_modelfile();

}  // namespace corral::test

#define CORRAL_SERVER_OR_SKIP(var)                                                                   \
  if (!::corral::test::CorralServer::binary())                                                      \
    GTEST_SKIP() << "the corral binary was not built (CORRAL_BINARY)";                              \
  ::corral::test::CorralServer var

#define CORRAL_ROUTE_OR_SKIP(server, method, path)                                                   \
  if (!(server).has_route(method, path))                                                             \
    GTEST_SKIP() << "the server does not serve " << (method) << " " << (path) << " yet"

#define CORRAL_TOLSTOY_OR_SKIP(server)                                                               \
  CORRAL_ROUTE_OR_SKIP(server, "POST", "/api/create");                                               \
  if (const std::string err_ = (server).create_tolstoy(); !err_.empty()) FAIL() << err_
