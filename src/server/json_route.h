// Registering JSON routes with a bounded request body: the body is read
// through a content reader up to ServerConfig::max_request_bytes; a larger
// body is drained (not stored) and answered 413, whether it came with a
// Content-Length or chunked, so memory stays bounded and the connection
// stays usable. Ollama accepts DELETE with a body; so does delete_json.
#pragma once

#include <httplib.h>

#include <functional>
#include <string>

#include "server/server_context.h"

namespace corral::server {

using JsonHandler = std::function<void(const httplib::Request& req, const std::string& body, httplib::Response& res)>;

void post_json(httplib::Server& http, ServerContext& ctx, const std::string& pattern, JsonHandler handler);
void delete_json(httplib::Server& http, ServerContext& ctx, const std::string& pattern, JsonHandler handler);

}  // namespace corral::server
