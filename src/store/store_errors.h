// Error kinds the store's callers tell apart (the HTTP layer maps NotFound to
// 404, BadRequest to 400, DigestMismatch to 400 and other Errors to 500). Both derive from corral::Error.
#pragma once

#include "util/error.h"

namespace corral::store {

// A model (manifest) or blob that does not exist.
class NotFoundError : public corral::Error {
 public:
  using corral::Error::Error;
};

// A request that cannot work as given (Ollama answers these with 400):
// invalid names, unknown file types, bad templates, missing sources.
class BadRequestError : public corral::Error {
 public:
  using corral::Error::Error;
};

// A blob whose content does not hash to the digest it was stored under.
class DigestMismatchError : public corral::Error {
 public:
  using corral::Error::Error;
};

}  // namespace corral::store
