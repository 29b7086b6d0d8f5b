// StatusError: an Error that carries the HTTP status Ollama answers it with
// (400 for malformed requests, 404 for unknown models, 503 when busy, ...).
// The server turns it into {"error": message} with that status; the CLI
// can rebuild one from a response to tell "not found" from other failures.
#pragma once

#include <string>

#include "util/error.h"

namespace corral::api {

class StatusError : public corral::Error {
 public:
  StatusError(int status, const std::string& message) : corral::Error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

[[noreturn]] inline void fail_status(int status, const std::string& message) { throw StatusError(status, message); }

}  // namespace corral::api
