// Error kinds the store's callers tell apart (the HTTP layer maps NotFound to
// 404 and the others to 400/500). Both derive from corral::Error.
#pragma once

#include "util/error.h"

namespace corral::store {

// A model (manifest) or blob that does not exist.
class NotFoundError : public corral::Error {
 public:
  using corral::Error::Error;
};

// A blob whose content does not hash to the digest it was stored under.
class DigestMismatchError : public corral::Error {
 public:
  using corral::Error::Error;
};

}  // namespace corral::store
