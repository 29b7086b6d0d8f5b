// The Server: listener set-up, middleware and route registration.
#include "server/server.h"

#include <httplib.h>

#include <chrono>
#include <regex>

#include "server/auth.h"
#include "server/cors.h"
#include "server/host_guard.h"
#include "server/http_util.h"
#include "server/routes.h"
#include "server/server_context.h"
#include "store/prune.h"
#include "util/error.h"
#include "util/log.h"

namespace corral::server {

namespace {

using Clock = std::chrono::steady_clock;

// Start time of the request on this worker thread (for metrics).
thread_local Clock::time_point t_request_start;

struct KnownRoute {
  const char* pattern;  // regex
  const char* label;    // metrics label
  const char* methods;  // allowed methods, comma-separated
};

const KnownRoute kRoutes[] = {
    {"/", "/", "GET,HEAD"},
    {"/api/version", "/api/version", "GET,HEAD"},
    {"/api/generate", "/api/generate", "POST"},
    {"/api/chat", "/api/chat", "POST"},
    {"/api/embed", "/api/embed", "POST"},
    {"/api/embeddings", "/api/embeddings", "POST"},
    {"/api/create", "/api/create", "POST"},
    {"/api/blobs/[^/]+", "/api/blobs/:digest", "HEAD,POST"},
    {"/api/tags", "/api/tags", "GET,HEAD"},
    {"/api/show", "/api/show", "POST"},
    {"/api/copy", "/api/copy", "POST"},
    {"/api/delete", "/api/delete", "DELETE"},
    {"/api/pull", "/api/pull", "POST"},
    {"/api/push", "/api/push", "POST"},
    {"/api/ps", "/api/ps", "GET"},
    {"/api/tokenize", "/api/tokenize", "POST"},
    {"/api/detokenize", "/api/detokenize", "POST"},
    {"/metrics", "/metrics", "GET"},
    {"/v1/chat/completions", "/v1/chat/completions", "POST"},
    {"/v1/completions", "/v1/completions", "POST"},
    {"/v1/embeddings", "/v1/embeddings", "POST"},
    {"/v1/models", "/v1/models", "GET"},
    {"/v1/models/[^/]+", "/v1/models/:model", "GET"},
};

const KnownRoute* find_route(const std::string& path) {
  static const std::vector<std::regex> compiled = [] {
    std::vector<std::regex> v;
    for (const auto& r : kRoutes) v.emplace_back(r.pattern);
    return v;
  }();
  for (std::size_t i = 0; i < compiled.size(); ++i)
    if (std::regex_match(path, compiled[i])) return &kRoutes[i];
  return nullptr;
}

bool method_allowed(const KnownRoute& r, const std::string& method) {
  std::string_view m = r.methods;
  std::size_t start = 0;
  while (start <= m.size()) {
    const auto comma = m.find(',', start);
    if (m.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start) == method)
      return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

void write_openai_error(httplib::Response& res, int status, const std::string& message, const char* type) {
  write_json(res, status, api::Json{{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}}}});
}

}  // namespace

Server::Server(ServerOptions options) : options_(std::move(options)) {
  if (!options_.engine_factory) options_.engine_factory = load_runner_engine;
  if (!options_.memory_probe) options_.memory_probe = available_memory_bytes;
  if (options_.config.debug) log::set_level(log::Level::debug);
  ctx_ = std::make_unique<ServerContext>(options_.config, options_.engine_factory, options_.memory_probe);
  if (options_.startup_maintenance) {
    try {
      const auto report = store::startup_maintenance(ctx_->store, !options_.config.noprune);
      if (!report.removed.empty()) log::info("pruned {} unused blob files", report.removed.size());
    } catch (const std::exception& e) {
      log::warn("store maintenance: {}", e.what());
    }
  }
  http_ = std::make_unique<httplib::Server>();
  const int threads = options_.config.http_threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  // Long generations write nothing for a while during prompt evaluation; the
  // socket timeouts only bound single reads/writes.
  http_->set_read_timeout(std::chrono::seconds(60));
  http_->set_write_timeout(std::chrono::seconds(60));
  http_->set_keep_alive_timeout(30);
  http_->set_keep_alive_max_count(1000);
  install_middleware();
  install_routes();
}

Server::~Server() {
  stop();
  if (thread_.joinable()) thread_.join();
  http_.reset();  // workers joined: every lease is released
  ctx_.reset();
}

void Server::install_middleware() {
  auto cors = std::make_shared<CorsPolicy>(options_.config.origins);
  auto guard = std::make_shared<HostGuard>(options_.config.listen.is_loopback());
  auto auth = std::make_shared<ApiKeyAuth>(options_.config.api_keys);

  http_->set_pre_routing_handler([cors, guard, auth](const httplib::Request& req, httplib::Response& res) {
    t_request_start = Clock::now();
    // A request with neither Content-Length nor chunked encoding has no body
    // (RFC 9112 6.3); httplib 0.11 would instead read until the client
    // closes. Saying so explicitly keeps such requests (curl -X POST) fast.
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding") &&
        (req.method == "POST" || req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE"))
      const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
    const std::string origin = req.get_header_value("Origin");
    const std::string host = req.get_header_value("Host");
    if (!origin.empty() && origin != "http://" + host && origin != "https://" + host) {
      if (!cors->origin_allowed(origin)) {
        res.status = 403;
        return httplib::Server::HandlerResponse::Handled;
      }
      res.set_header("Access-Control-Allow-Origin", cors->allow_all() ? "*" : origin);
      if (!cors->allow_all()) res.set_header("Vary", "Origin");
      if (req.method == "OPTIONS") {
        res.set_header("Access-Control-Allow-Methods", CorsPolicy::allowed_methods());
        res.set_header("Access-Control-Allow-Headers", CorsPolicy::allowed_headers());
        res.set_header("Access-Control-Max-Age", "43200");
        res.status = 204;
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    if (!guard->allowed(host)) {
      res.status = 403;
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "OPTIONS") {
      res.status = 204;
      return httplib::Server::HandlerResponse::Handled;
    }
    if (auth->enabled() && !ApiKeyAuth::is_public(req.method, req.path) &&
        !auth->authorized(req.get_header_value("Authorization"))) {
      res.set_header("WWW-Authenticate", "Bearer");
      if (req.path.rfind("/v1/", 0) == 0) {
        write_openai_error(res, 401, "invalid or missing API key", "invalid_request_error");
      } else {
        write_error(res, 401, "unauthorized: a valid API key is required");
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Unmatched paths: gin's 404/405 texts.
  http_->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (res.status != 404 || !res.body.empty() || res.has_header("Content-Type"))
      return httplib::Server::HandlerResponse::Unhandled;
    const KnownRoute* r = find_route(req.path);
    if (r && !method_allowed(*r, req.method)) {
      res.status = 405;
      res.set_content("405 method not allowed", "text/plain");
    } else {
      res.set_content("404 page not found", "text/plain");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));

  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      write_error(res, status_of(e), e.what());
    } catch (...) {
      write_error(res, 500, "internal error");
    }
  });

  Metrics* metrics = &ctx_->metrics;
  const bool debug = options_.config.debug;
  http_->set_logger([metrics, debug](const httplib::Request& req, const httplib::Response& res) {
    const auto elapsed = Clock::now() - t_request_start;
    const KnownRoute* r = find_route(req.path);
    metrics->record_request(r ? r->label : "other", res.status, std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed));
    if (debug)
      log::debug("{} {} {} {:.3f}s", req.method, req.path, res.status, std::chrono::duration<double>(elapsed).count());
  });
}

void Server::install_routes() {
  register_basic_routes(*http_, *ctx_);
  register_model_routes(*http_, *ctx_);
  register_generate_routes(*http_, *ctx_);
  register_chat_routes(*http_, *ctx_);
  register_embed_routes(*http_, *ctx_);
  register_create_routes(*http_, *ctx_);
  register_registry_routes(*http_, *ctx_);
  register_openai_routes(*http_, *ctx_);
  register_tokenize_routes(*http_, *ctx_);
  register_metrics_routes(*http_, *ctx_);
}

void Server::bind() {
  const auto& l = options_.config.listen;
  if (l.port == 0) {
    port_ = http_->bind_to_any_port(l.host);
  } else {
    port_ = http_->bind_to_port(l.host, l.port) ? l.port : -1;
  }
  if (port_ < 0) fail("cannot listen on {}: address in use or not available", l.host_port());
}

void Server::listen() {
  if (port_ < 0) bind();
  log::info("Listening on {}:{} (version {})", options_.config.listen.host, port_, kApiVersion);
  http_->listen_after_bind();
}

void Server::start() {
  if (port_ < 0) bind();
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  while (!http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Server::stop() {
  if (http_) http_->stop();
}

}  // namespace corral::server
