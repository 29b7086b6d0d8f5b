// Ollama's template function map.
#include "template/ollama_funcs.h"

#include <ctime>

#include "template/gotmpl/go_json.h"
#include "template/template_values.h"

namespace corral::tmpl {

namespace {

std::string local_date(int days_offset) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  tm.tm_mday += days_offset;
  tm.tm_isdst = -1;
  std::time_t shifted = std::mktime(&tm);
  std::tm out{};
  localtime_r(&shifted, &out);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &out);
  return buf;
}

}  // namespace

std::shared_ptr<const gotmpl::FuncMap> ollama_functions() {
  static const auto funcs = [] {
    auto m = std::make_shared<gotmpl::FuncMap>();
    (*m)["json"] = gotmpl::Function{
        [](std::span<const gotmpl::Value> a) {
          return gotmpl::Value::from_string(gotmpl::go_json_marshal(a[0]).value_or(""));
        },
        1, 1, false};
    (*m)["currentDate"] = gotmpl::Function{
        [](std::span<const gotmpl::Value>) { return gotmpl::Value::from_string(local_date(0)); }, 0, -1, true};
    (*m)["yesterdayDate"] = gotmpl::Function{
        [](std::span<const gotmpl::Value>) { return gotmpl::Value::from_string(local_date(-1)); }, 0, -1, true};
    (*m)["toTypeScriptType"] = gotmpl::Function{
        [](std::span<const gotmpl::Value> a) { return gotmpl::Value::from_string(typescript_type(a[0])); }, 1, 1,
        false};
    return std::shared_ptr<const gotmpl::FuncMap>(std::move(m));
  }();
  return funcs;
}

}  // namespace corral::tmpl
