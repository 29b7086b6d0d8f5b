// corral::Error: the one exception type for bad input and failed operations.
// Code that detects a problem throws Error with a message that names the
// thing (file, model, field) and the problem; callers at the edges (CLI,
// HTTP handlers) turn it into a one-line message or an {"error": ...} body.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace corral {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// Throws Error with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) {
  throw Error(fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace corral
