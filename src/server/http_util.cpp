// JSON responses and the exception -> status mapping.
#include "server/http_util.h"

#include "api/status_error.h"
#include "store/store_errors.h"

namespace corral::server {

std::string dump_json(const api::Json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

void write_json(httplib::Response& res, int status, const api::Json& j) {
  res.status = status;
  res.set_content(dump_json(j), kJsonType);
}

void write_error(httplib::Response& res, int status, const std::string& message) {
  write_json(res, status, api::Json{{"error", message}});
}

int status_of(const std::exception& e) {
  if (auto* s = dynamic_cast<const api::StatusError*>(&e)) return s->status();
  if (dynamic_cast<const store::NotFoundError*>(&e)) return 404;
  if (dynamic_cast<const store::BadRequestError*>(&e)) return 400;
  if (dynamic_cast<const store::DigestMismatchError*>(&e)) return 400;
  return 500;
}

}  // namespace corral::server
