// How a streamed answer is written: thinking markers, hidden thinking, tool calls.
#include <gtest/gtest.h>

#include "cli/response_printer.h"

namespace corral::cli {
namespace {

struct Capture {
  std::string text;
  ResponsePrinter::Writer writer() {
    return [this](std::string_view s) { text += s; };
  }
};

TEST(ResponsePrinter, ThinkingThenContent) {
  Capture c;
  ResponsePrinter p(c.writer(), {});
  p.thinking("Let me ");
  p.thinking("think.");
  p.content("The answer.");
  p.finish();
  EXPECT_EQ(c.text, "Thinking...\nLet me think.\n...done thinking.\n\nThe answer.");
  EXPECT_FALSE(p.at_line_start());
}

TEST(ResponsePrinter, HiddenThinking) {
  Capture c;
  ResponsePrinter p(c.writer(), {.colors = false, .wrap_columns = 0, .hide_thinking = true});
  p.thinking("secret");
  p.content("Shown.\n");
  p.finish();
  EXPECT_EQ(c.text, "Shown.\n");
  EXPECT_TRUE(p.at_line_start());
}

TEST(ResponsePrinter, ColoursOnlyAroundThinking) {
  Capture c;
  ResponsePrinter p(c.writer(), {.colors = true, .wrap_columns = 0, .hide_thinking = false});
  p.thinking("hmm\n");
  p.content("ok");
  EXPECT_NE(c.text.find("\x1b[1mThinking...\n"), std::string::npos);
  EXPECT_NE(c.text.find("...done thinking.\n\n\x1b[0mok"), std::string::npos) << c.text;
}

TEST(ResponsePrinter, ToolCallsOnTheirOwnLine) {
  Capture c;
  ResponsePrinter p(c.writer(), {});
  p.content("Calling");
  api::ToolCall call;
  call.name = "get_weather";
  call.arguments = api::Json{{"city", "Moscow"}};
  p.tool_calls({call});
  EXPECT_EQ(c.text,
            "Calling\n  Model called a non-existent function 'get_weather()' with arguments: {\"city\":\"Moscow\"}\n");
}

TEST(ResponsePrinter, WrapsContent) {
  Capture c;
  ResponsePrinter p(c.writer(), {.colors = false, .wrap_columns = 10, .hide_thinking = false});
  p.content("aaaa bbbb cccc");
  p.finish();
  EXPECT_EQ(c.text, "aaaa bbbb\ncccc");
}

}  // namespace
}  // namespace corral::cli
