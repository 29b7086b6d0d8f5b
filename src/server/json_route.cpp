// Bounded-body JSON routes.
#include "server/json_route.h"

#include <fmt/format.h>

#include "server/http_util.h"

namespace corral::server {

namespace {

httplib::Server::HandlerWithContentReader wrap(ServerContext& ctx, JsonHandler handler) {
  return [&ctx, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                              const httplib::ContentReader& reader) {
    const std::size_t limit = ctx.config.max_request_bytes;
    std::string body;
    bool too_large = false;
    const bool ok = reader([&](const char* data, std::size_t n) {
      if (too_large || body.size() + n > limit) {
        too_large = true;  // keep reading (and dropping) so the connection stays in sync
        body.clear();
        body.shrink_to_fit();
        return true;
      }
      body.append(data, n);
      return true;
    });
    if (too_large) {
      write_error(res, 413, fmt::format("request body too large (limit {} MiB)", limit >> 20));
      return;
    }
    if (!ok) {
      write_error(res, 400, "failed to read request body");
      return;
    }
    handler(req, body, res);
  };
}

}  // namespace

// Requests httplib does not consider to carry content reach the plain handler.
static httplib::Server::Handler plain(JsonHandler handler) {
  return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    handler(req, req.body, res);
  };
}

void post_json(httplib::Server& http, ServerContext& ctx, const std::string& pattern, JsonHandler handler) {
  http.Post(pattern, plain(handler));
  http.Post(pattern, wrap(ctx, std::move(handler)));
}

void delete_json(httplib::Server& http, ServerContext& ctx, const std::string& pattern, JsonHandler handler) {
  http.Delete(pattern, plain(handler));
  http.Delete(pattern, wrap(ctx, std::move(handler)));
}

}  // namespace corral::server
