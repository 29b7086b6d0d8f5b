// `run` flag values (see run_options.h).
#include "cli/run_options.h"

#include "api/duration.h"
#include "util/error.h"

namespace corral::cli {

api::Format parse_format_flag(const std::string& value) {
  api::Format f;
  if (value.empty()) return f;
  if (value == "json") {
    f.kind = api::Format::Kind::json;
    return f;
  }
  api::Json schema;
  try {
    schema = api::Json::parse(value);
  } catch (const std::exception&) {
    schema = nullptr;
  }
  if (!schema.is_object())
    fail("invalid value for --format: \"{}\" (use json, or a JSON Schema object such as '{{\"type\":\"object\"}}')", value);
  f.kind = api::Format::Kind::schema;
  f.schema = std::move(schema);
  return f;
}

api::Think parse_think_flag(const std::string& value) {
  if (value.empty() || value == "true") return api::Think::from_bool(true);
  if (value == "false") return api::Think::from_bool(false);
  if (value == "low" || value == "medium" || value == "high" || value == "max") return api::Think::from_level(value);
  fail("invalid value for --think: \"{}\" (must be true, false, high, medium, low, or max)", value);
}

api::KeepAlive parse_keepalive_flag(const std::string& value) {
  bool digits = !value.empty();
  for (std::size_t i = 0; i < value.size(); ++i)
    digits = digits && ((value[i] >= '0' && value[i] <= '9') || (i == 0 && value[i] == '-' && value.size() > 1));
  if (digits && value.size() <= 12) return api::KeepAlive::from(std::chrono::seconds(std::stoll(value)));
  try {
    return api::KeepAlive::from(api::parse_go_duration(value));
  } catch (const std::exception&) {
    fail("invalid value for --keepalive: \"{}\" (use a duration such as 30s, 10m, 1h, or -1 to keep the model loaded)",
         value);
  }
}

}  // namespace corral::cli
