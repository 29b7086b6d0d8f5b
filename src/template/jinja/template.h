// corral::jinja::Template: a parsed Jinja2 template rendered with Hugging
// Face's environment semantics (trim_blocks, lstrip_blocks, loop controls,
// immutable sandbox, raise_exception and strftime_now globals, the tojson
// filter of transformers). Rendering is bounded (output size, work steps,
// macro recursion) and every failure is a corral::Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "template/jinja/value.h"

namespace corral::jinja {

struct RenderLimits {
  std::size_t max_output_bytes = std::size_t{64} << 20;
  std::uint64_t max_steps = 20'000'000;
  int max_call_depth = 100;
};


class Template {
 public:
  // Throws corral::Error ("jinja: line N: ...") on a syntax error.
  static Template parse(std::string_view source);

  // Renders with `variables` as the template context.
  std::string render(const std::vector<std::pair<std::string, Value>>& variables,
                     const RenderLimits& limits = {}) const;

 private:
  std::shared_ptr<const void> body_;  // the parsed statements
};

}  // namespace corral::jinja
