// Small helpers shared by the route files: JSON responses and error bodies
// with Ollama's content types, the HTTP status of an exception (StatusError,
// the store's NotFound/BadRequest/DigestMismatch, everything else 500), and
// a JSON dump that never throws (invalid UTF-8 becomes U+FFFD).
#pragma once

#include <httplib.h>

#include <exception>
#include <string>

#include "api/json_fields.h"

namespace corral::server {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";
inline constexpr const char* kNdjsonType = "application/x-ndjson";

std::string dump_json(const api::Json& j);
void write_json(httplib::Response& res, int status, const api::Json& j);
void write_error(httplib::Response& res, int status, const std::string& message);

// The status an exception is answered with.
int status_of(const std::exception& e);

// Runs a handler body; an exception becomes {"error": what} with its status.
template <typename F>
void respond(httplib::Response& res, F&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    write_error(res, status_of(e), e.what());
  }
}

}  // namespace corral::server
