// libFuzzer target for the streaming output parsers. Byte 0 picks the tool
// tag, byte 1 the chunk size; the rest is model output fed through the
// thinking parser and the tool-call parser chunk by chunk. Every tool call
// must carry a JSON object, and nothing may crash or hang.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chat/chat_output_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static const char* kTags[] = {"{", "[", "<tool_call>", "[TOOL_CALLS]", "<|python_tag|>", "<function"};
  std::string tag = kTags[data[0] % 6];
  std::size_t chunk = 1 + data[1] % 16;
  std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  corral::chat::ChatOutputParser parser(
      corral::chat::ThinkingParser("<think>", "</think>"),
      corral::chat::ToolCallParser(tag, {"get_weather", "get", "f"}, [] { return std::string("call_fuzz0000"); }));
  auto check = [](const corral::chat::ChatDelta& d) {
    for (const auto& c : d.tool_calls) {
      auto j = nlohmann::json::parse(c.arguments, nullptr, false);
      if (!j.is_object()) std::abort();
    }
  };
  for (std::size_t pos = 0; pos < text.size(); pos += chunk) check(parser.add(text.substr(pos, chunk)));
  check(parser.finish());
  return 0;
}
