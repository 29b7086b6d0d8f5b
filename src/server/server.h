// Server: `corral serve` as an object. It owns the HTTP listener
// (cpp-httplib with its own worker pool), the middleware (CORS, the
// DNS-rebinding Host guard, optional API keys, metrics), the routes and the
// ServerContext (store, scheduler, ...). Tests run one in-process on a free
// port, optionally with their own EngineFactory and memory probe.
//
//   server::Server s(server::ServerOptions{server::ServerConfig::from_env()});
//   s.bind();      // throws Error naming the address if it cannot listen
//   s.listen();    // blocks until stop()
#pragma once

#include <memory>
#include <thread>

#include "server/engine.h"
#include "server/memory_check.h"
#include "server/server_config.h"

namespace httplib {
class Server;
}

namespace corral::server {

struct ServerContext;

struct ServerOptions {
  ServerConfig config;
  EngineFactory engine_factory;  // default: load_runner_engine
  MemoryProbe memory_probe;      // default: available_memory_bytes
  bool startup_maintenance = true;  // prune the store at start (unless OLLAMA_NOPRUNE)
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds config.listen (port 0: any free port). Throws Error if it cannot.
  void bind();
  int port() const { return port_; }
  // Serves until stop(); bind() first.
  void listen();
  // bind() + listen() on a background thread.
  void start();
  void stop();

  ServerContext& context() { return *ctx_; }

 private:
  void install_middleware();
  void install_routes();

  ServerOptions options_;
  std::unique_ptr<ServerContext> ctx_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = -1;
  std::thread thread_;
};

}  // namespace corral::server
