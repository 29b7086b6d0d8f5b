// libFuzzer target for both template engines. The first byte picks the
// engine: even = Go text/template through Ollama's PromptTemplate (parse,
// Vars, messages and legacy execution), odd = Jinja2 (parse and render
// with a chat context). Any input must end in output or a corral::Error,
// within the execution limits: no crash, hang or unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "template/jinja_chat.h"
#include "template/prompt_template.h"
#include "util/error.h"

namespace {

std::vector<corral::tmpl::Message> messages() {
  corral::tmpl::Message call{"assistant", ""};
  call.tool_calls.push_back({"call_1", 0, "get_weather", R"({"city":"Paris","n":[1,2.5,null]})"});
  call.thinking = "thought";
  return {{"system", "sys"}, {"user", "hello <b>"}, call, {"tool", "sunny", "", {}, {}, "get_weather", "call_1"},
          {"user", "again"}};
}

std::vector<corral::tmpl::Tool> tools() {
  corral::tmpl::Tool t;
  t.function.name = "get_weather";
  t.function.description = "weather & more";
  t.function.parameters.type = "object";
  t.function.parameters.has_properties = true;
  corral::tmpl::ToolProperty city;
  city.type = {"string", "null"};
  city.enum_values = {"\"a\"", "1"};
  t.function.parameters.properties.push_back({"city", city});
  t.function.parameters.required = {"city"};
  return {t};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      auto t = corral::tmpl::PromptTemplate::parse(text);
      corral::gotmpl::ExecLimits limits;
      limits.max_output_bytes = 1 << 20;
      limits.max_steps = 200000;
      limits.max_call_depth = 50;
      corral::tmpl::Values v;
      v.messages = messages();
      v.tools = tools();
      v.set_think(corral::tmpl::ThinkSetting::from_bool(true));
      try {
        (void)t.execute(v, limits);
      } catch (const corral::Error&) {
      }
      v.force_legacy = true;
      (void)t.execute(v, limits);
    } else {
      corral::tmpl::JinjaChatOptions o;
      o.special_tokens = {{"bos_token", "<s>"}, {"eos_token", "</s>"}};
      o.limits.max_output_bytes = 1 << 20;
      o.limits.max_steps = 200000;
      o.limits.max_call_depth = 30;
      (void)corral::tmpl::render_jinja_chat(text, messages(), tools(), o);
    }
  } catch (const corral::Error&) {
  }
  return 0;
}
