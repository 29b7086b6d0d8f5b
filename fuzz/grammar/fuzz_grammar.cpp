// libFuzzer target for the structured-output compiler: the input up to the
// first NUL is a request's `format` (JSON: "json" or a JSON Schema), the rest
// is model output fed to a matcher of the compiled grammar. A hostile schema
// may be refused with an error, never crash, hang or exhaust memory.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>

#include <nlohmann/json.hpp>

#include "grammar/json_constraint.h"
#include "grammar/matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = in.find('\0');
  const std::string_view schema_text = in.substr(0, cut);
  const std::string_view output = cut == std::string_view::npos ? std::string_view() : in.substr(cut + 1);
  const auto format = nlohmann::ordered_json::parse(schema_text, nullptr, false);
  if (format.is_discarded()) return 0;
  try {
    corral::grammar::Matcher m(corral::grammar::compile_format(format));
    for (std::size_t i = 0; i < output.size(); i += 7) (void)m.accept(output.substr(i, 7));
    (void)m.can_end();
  } catch (const std::exception&) {
    // refused: fine
  }
  return 0;
}
