// Streaming tool-call extraction (Ollama's tools parser): tags, held-back
// partial tags, JSON object scanning, argument extraction rules, multiple
// calls, the "{" tag's all-or-nothing behaviour, ids, and independence from
// how the output is split into chunks.
#include <gtest/gtest.h>

#include <regex>

#include "chat/tool_call_parser.h"
#include "streaming.h"

namespace corral::chat {
namespace {

struct Result {
  std::string content;
  std::vector<ToolCall> calls;
};

ToolCallIdSource counter_ids() {
  auto n = std::make_shared<int>(0);
  return [n] { return "call_" + std::to_string((*n)++); };
}

Result run(const std::string& tag, const std::vector<std::string>& tools, const std::vector<std::string>& chunks) {
  ToolCallParser p(tag, tools, counter_ids());
  Result r;
  for (const auto& c : chunks) {
    auto out = p.add(c);
    r.content += out.content;
    for (auto& call : out.calls) r.calls.push_back(std::move(call));
  }
  r.content += p.finish();
  return r;
}

struct Expected {
  std::string content;
  std::vector<std::pair<std::string, std::string>> calls;  // name, arguments
};

void expect_all_chunkings(const std::string& tag, const std::vector<std::string>& tools, const std::string& output,
                          const Expected& want) {
  for (const auto& chunks : test::all_chunkings(output, output.size() <= 160)) {
    Result r = run(tag, tools, chunks);
    ASSERT_EQ(r.content, want.content) << test::describe(chunks);
    ASSERT_EQ(r.calls.size(), want.calls.size()) << test::describe(chunks);
    for (std::size_t i = 0; i < r.calls.size(); ++i) {
      EXPECT_EQ(r.calls[i].name, want.calls[i].first) << test::describe(chunks);
      EXPECT_EQ(r.calls[i].arguments, want.calls[i].second) << test::describe(chunks);
      EXPECT_EQ(r.calls[i].index, static_cast<int>(i));
      EXPECT_EQ(r.calls[i].id, "call_" + std::to_string(i));
    }
  }
}

const std::vector<std::string> kWeather{"get_weather"};

TEST(ToolCallParser, TaggedCallAfterContent) {
  expect_all_chunkings("<tool_call>", kWeather,
                       "Let me check.<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": "
                       "\"celsius\"}}</tool_call>",
                       {"Let me check.", {{"get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"}}});
}

TEST(ToolCallParser, SeveralCallsAreNumbered) {
  expect_all_chunkings(
      "<tool_call>", {"get_weather", "get_time"},
      "<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}</tool_call>\n"
      "<tool_call>{\"name\": \"get_time\", \"arguments\": {\"tz\": \"CET\"}}</tool_call>",
      {"", {{"get_weather", "{\"city\":\"Paris\"}"}, {"get_time", "{\"tz\":\"CET\"}"}}});
}

TEST(ToolCallParser, PartialTagIsHeldBackThenReleased) {
  ToolCallParser p("<tool_call>", kWeather, counter_ids());
  EXPECT_EQ(p.add("Hello <tool").content, "Hello ");
  EXPECT_EQ(p.add("box> there").content, "<toolbox> there");
}

TEST(ToolCallParser, BraceTagParsesOnlyLeadingJson) {
  expect_all_chunkings("{", kWeather, "  \n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}",
                       {"  \n", {{"get_weather", "{\"city\":\"Paris\"}"}}});
  expect_all_chunkings("{", kWeather, "Sure: {\"name\": \"get_weather\", \"arguments\": {}}",
                       {"Sure: {\"name\": \"get_weather\", \"arguments\": {}}", {}});
  // A leading object that is not a call comes back as content once it closes.
  expect_all_chunkings("{", kWeather, "{\"answer\": 42}", {"{\"answer\": 42}", {}});
  expect_all_chunkings("[", kWeather, "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}]",
                       {"", {{"get_weather", "{\"city\":\"Oslo\"}"}}});
}

TEST(ToolCallParser, ArgumentExtractionRules) {
  // JSON-encoded string arguments.
  expect_all_chunkings("<tool_call>", kWeather,
                       "<tool_call>{\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}",
                       {"", {{"get_weather", "{\"city\":\"Paris\"}"}}});
  // Arguments under the tool's name, inside a list (Mistral style).
  expect_all_chunkings("[TOOL_CALLS]", kWeather, "[TOOL_CALLS] [{\"get_weather\": {\"city\": \"Rome\"}}]",
                       {"", {{"get_weather", "{\"city\":\"Rome\"}"}}});
  // Nested object found recursively.
  expect_all_chunkings("<|python_tag|>", kWeather,
                       "<|python_tag|>{\"call\": {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Lima\"}}}",
                       {"", {{"get_weather", "{\"city\":\"Lima\"}"}}});
  // Without any known member the whole object is the arguments.
  expect_all_chunkings("<tool_call>", kWeather, "<tool_call>get_weather {\"city\": \"Kyiv\"}",
                       {"", {{"get_weather", "{\"city\":\"Kyiv\"}"}}});
  // A name without arguments is not a call (and text after the tag is not content).
  expect_all_chunkings("<tool_call>", kWeather, "<tool_call>{\"name\": \"get_weather\"}</tool_call>", {"", {}});
}

TEST(ToolCallParser, LongestToolNameWinsAndPrefixesWait) {
  expect_all_chunkings("<tool_call>", {"get", "get_weather"},
                       "<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"q\": 1}}", {"", {{"get_weather", "{\"q\":1}"}}});
  ToolCallParser p("<tool_call>", {"get", "get_weather"}, counter_ids());
  EXPECT_TRUE(p.add("<tool_call>{\"name\": \"get").calls.empty());
}

TEST(ToolCallParser, ArgumentsAreEncodedLikeGo) {
  expect_all_chunkings(
      "<tool_call>", {"f"},
      "<tool_call>{\"name\": \"f\", \"arguments\": {\"n\": 1.0, \"big\": 1e21, \"html\": \"<b>&\", \"nested\": {\"z\": 1, \"a\": [2.50]}}}",
      {"", {{"f", "{\"n\":1,\"big\":1e+21,\"html\":\"\\u003cb\\u003e\\u0026\",\"nested\":{\"a\":[2.5],\"z\":1}}"}}});
}

TEST(ToolCallParser, BracesInsideStringsAndInvalidObjects) {
  expect_all_chunkings("<tool_call>", kWeather,
                       "<tool_call>{oops} {\"name\": \"get_weather\", \"arguments\": {\"city\": \"a}{b\\\"c\"}}",
                       {"", {{"get_weather", "{\"city\":\"a}{b\\\"c\"}"}}});
}

TEST(ToolCallParser, RandomIdsAndTemplateTag) {
  std::regex id_format("call_[a-z0-9]{8}");
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(std::regex_match(random_tool_call_id(), id_format));
  EXPECT_NE(random_tool_call_id(), random_tool_call_id());

  auto t = tmpl::PromptTemplate::parse(
      "{{ range .Messages }}{{ if .ToolCalls }}<tool_call>\n{{ range .ToolCalls }}{{ json .Function }}{{ end }}"
      "</tool_call>{{ end }}{{ end }}");
  tmpl::Tool tool;
  tool.function.name = "get_weather";
  auto p = ToolCallParser::for_template(t, {tool});
  EXPECT_EQ(p.tag(), "<tool_call>");
  auto out = p.add("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Bern\"}}");
  ASSERT_EQ(out.calls.size(), 1u);
  EXPECT_TRUE(std::regex_match(out.calls[0].id, id_format));
}

TEST(ToolCallParser, LongStreamsAreScannedOnce) {
  // 200 kB after the tag, one byte at a time: each byte must be scanned a
  // bounded number of times (a rescan per chunk would take minutes here).
  ToolCallParser p("<tool_call>", kWeather, counter_ids());
  EXPECT_TRUE(p.add("<tool_call>").content.empty());
  std::string filler = "{\"x\": [1, 2, {\"y\": \"get_weathe\"}]} {broken} ";
  std::size_t calls = 0;
  for (int i = 0; i < 4000; ++i)
    for (char c : filler) calls += p.add(std::string_view(&c, 1)).calls.size();
  EXPECT_EQ(calls, 0u);
  auto out = p.add("{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}");
  // Once a tool name appears, the first object that parses supplies the
  // arguments: here the filler's first object, taken whole.
  ASSERT_EQ(out.calls.size(), 1u);
  EXPECT_EQ(out.calls[0].name, "get_weather");
  EXPECT_EQ(out.calls[0].arguments, "{\"x\":[1,2,{\"y\":\"get_weathe\"}]}");
}

TEST(ToolCallParser, NoToolsMeansEverythingIsContentForBraceTags) {
  expect_all_chunkings("{", {}, "{\"name\": \"x\"}", {"{\"name\": \"x\"}", {}});
  expect_all_chunkings("{", kWeather, "plain text", {"plain text", {}});
}

}  // namespace
}  // namespace corral::chat
