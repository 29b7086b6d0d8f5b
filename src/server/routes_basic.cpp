// GET|HEAD / (liveness) and GET|HEAD /api/version.
#include <httplib.h>

#include "server/http_util.h"
#include "server/routes.h"

namespace corral::server {

void register_basic_routes(httplib::Server& http, ServerContext&) {
  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("Ollama is running", "text/plain; charset=utf-8");
  });
  http.Get("/api/version", [](const httplib::Request&, httplib::Response& res) {
    write_json(res, 200, api::Json{{"version", kApiVersion}});
  });
}

}  // namespace corral::server
