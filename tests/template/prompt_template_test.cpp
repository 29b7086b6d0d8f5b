// Ollama's prompt rendering on top of gotmpl: the {{ .Response }} fix-up and
// Vars(), the three execution modes (messages, legacy turn-by-turn with the
// final turn cut after {{ .Response }}, fill-in-the-middle), collation, the
// Go types tools and tool calls are seen as, think values, capabilities and
// tag inference.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <ctime>

#include "template/capabilities.h"
#include "template/prompt_template.h"
#include "template/request_json.h"
#include "template/template_inspect.h"
#include "util/error.h"

namespace corral::tmpl {
namespace {

std::string render(std::string_view text, const Values& v) { return PromptTemplate::parse(text).execute(v); }

Values chat(std::vector<Message> m) {
  Values v;
  v.messages = std::move(m);
  return v;
}

TEST(PromptTemplate, ResponseFixupAndVars) {
  using V = std::vector<std::string>;
  EXPECT_EQ(PromptTemplate::parse("{{ .Prompt }}").vars(), (V{"prompt", "response"}));
  EXPECT_EQ(PromptTemplate::parse("{{ .System }} {{ .Prompt }} {{ .Response }}").vars(), (V{"prompt", "response", "system"}));
  EXPECT_EQ(PromptTemplate::parse("{{ with .Tools }}{{ . }}{{ end }} {{ .System }}").vars(),
            (V{"response", "system", "tools"}));
  EXPECT_EQ(PromptTemplate::parse("{{ range .Messages }}{{ .Role }} {{ .Content }}{{ end }}").vars(),
            (V{"content", "messages", "role"}));
  EXPECT_EQ(PromptTemplate::parse("{{ range $i, $m := .Messages }}{{ $m.Content }}{{ $.System }}{{ end }}").vars(),
            (V{"$", "$m", "content", "messages", "system"}));  // declarations are not identifiers
  // Without .Messages or .Response the prompt is followed by the response.
  EXPECT_EQ(render("Q: {{ .Prompt }} A: ", chat({{"user", "hi"}})), "Q: hi A: ");
}

TEST(PromptTemplate, ParseErrors) {
  try {
    PromptTemplate::parse("{{ .Prompt ");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unclosed action"), std::string::npos);
  }
  try {
    PromptTemplate::parse("{{define \"x\"}}{{template \"x\"}}{{end}}{{template \"x\"}}");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "undefined template specified");
  }
}

TEST(PromptTemplate, LegacyAndMessagesModesAgree) {
  const std::string expected = "[INST] Hello friend![/INST] Hello human![INST] What is your name?[/INST] ";
  Values v = chat({{"user", "Hello friend!"}, {"assistant", "Hello human!"}, {"user", "What is your name?"}});
  // (The third form is one literal split over two lines.)
  const char* forms[] = {
      "[INST] {{ if .System }}{{ .System }}\n\n{{ end }}{{ .Prompt }}[/INST] ",
      "[INST] {{ if .System }}{{ .System }}\n\n{{ end }}{{ .Prompt }}[/INST] {{ .Response }}",
      ("[INST] {{ if .System }}{{ .System }}\n\n{{ end }}\n{{- range .Messages }}\n{{- if eq .Role \"user\" }}{{ .Content "
       "}}[/INST] {{ else if eq .Role \"assistant\" }}{{ .Content }}[INST] {{ end }}\n{{- end }}"),
  };
  for (const char* f : forms) EXPECT_EQ(render(f, v), expected) << f;

  Values sys = v;
  sys.messages.insert(sys.messages.begin(), Message{"system", "Be brief."});
  for (const char* f : forms)
    EXPECT_EQ(render(f, sys), "[INST] Be brief.\n\nHello friend![/INST] Hello human![INST] What is your name?[/INST] ") << f;
}

TEST(PromptTemplate, LegacyCutsTheLastTurnAfterResponse) {
  const char* chatml_legacy =
      "{{ if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}{{ if .Prompt }}<|im_start|>user\n{{ .Prompt "
      "}}<|im_end|>\n{{ end }}<|im_start|>assistant\n{{ .Response }}<|im_end|>\n";
  const char* chatml_messages =
      "{{- range $index, $_ := .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n";
  Values v = chat({{"system", "S"}, {"user", "Hi"}, {"assistant", "Hello"}, {"user", "Name?"}});
  const std::string expected =
      "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"
      "<|im_start|>user\nName?<|im_end|>\n<|im_start|>assistant\n";
  EXPECT_EQ(render(chatml_legacy, v), expected);
  EXPECT_EQ(render(chatml_messages, v), expected);
  // A trailing assistant message is a prefill: generation continues it.
  Values prefill = chat({{"user", "Hi"}, {"assistant", "My name is"}});
  EXPECT_EQ(render(chatml_legacy, prefill), "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nMy name is");
  // force_legacy renders a messages template turn by turn: .Messages is missing there.
  Values forced = chat({{"user", "Hi"}});
  forced.force_legacy = true;
  EXPECT_EQ(render("{{ .Prompt }}|{{ range .Messages }}x{{ end }}", forced), "Hi|");
}

TEST(PromptTemplate, FillInTheMiddle) {
  const char* t = "{{- if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>\n{{- else }}{{ .Prompt }}\n{{- end }}";
  Values fim;
  fim.prompt = "def add(";
  fim.suffix = "return x";
  EXPECT_EQ(render(t, fim), "<PRE> def add( <SUF>return x <MID>");
  EXPECT_EQ(render(t, chat({{"user", "hello"}})), "hello");
  EXPECT_TRUE(PromptTemplate::parse(t).uses("suffix"));
}

TEST(PromptTemplate, CollationMergesSameRoleRuns) {
  auto [system, merged] = collate({{"system", "A"}, {"system", "B"}, {"user", "Hello"}, {"user", "How are you?"},
                                   {"tool", "sunny"}, {"tool", "72F"}, {"assistant", "x"}});
  EXPECT_EQ(system, "A\n\nB");
  ASSERT_EQ(merged.size(), 5u);
  EXPECT_EQ(merged[0].content, "A\n\nB");
  EXPECT_EQ(merged[1].content, "Hello\n\nHow are you?");
  EXPECT_EQ(merged[2].content, "sunny");
  EXPECT_EQ(merged[3].content, "72F");
  EXPECT_EQ(render("{{ range .Messages }}[{{ .Role }}:{{ .Content }}]{{ end }}|{{ .System }}",
                   chat({{"user", "a"}, {"user", "b"}, {"system", "s"}})),
            "[user:a\n\nb][system:s]|s");
}

TEST(PromptTemplate, MessagesAreTemplateMessageStructs) {
  Values v = chat({{"user", "hi"}});
  try {
    render("{{ range .Messages }}{{ .Prompt }}{{ end }}", v);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("can't evaluate field Prompt in type *template.templateMessage"),
              std::string::npos);
  }
  EXPECT_EQ(render("{{ range .Messages }}{{ . }}{{ end }}", v), "{user hi  [] []  }");
  EXPECT_EQ(render("{{ range .Messages }}{{ print . }}{{ end }}", v), "&{user hi  [] []  }");
}

nlohmann::ordered_json weather_tool_json() {
  return nlohmann::ordered_json::parse(R"({"type":"function","function":{"name":"get_weather",
    "parameters":{"type":"object","required":["location"],"properties":{
      "unit":{"description":"C or F","type":"string","enum":["C","F"]},
      "location":{"type":["string","null"],"description":"City & <country>"}}}}})");
}

TEST(PromptTemplate, ToolsPrintAsGoJson) {
  Values v = chat({{"user", "weather?"}});
  v.tools = tools_from_json(nlohmann::ordered_json::array({weather_tool_json()}));
  const std::string json =
      "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"\",\"parameters\":{\"type\":"
      "\"object\",\"required\":[\"location\"],\"properties\":{\"location\":{\"type\":[\"string\",\"null\"],"
      "\"description\":\"City \\u0026 \\u003ccountry\\u003e\"},\"unit\":{\"type\":\"string\",\"description\":\"C or F\","
      "\"enum\":[\"C\",\"F\"]}}}}}]";
  EXPECT_EQ(render("{{ range .Messages }}{{ end }}{{ .Tools }}", v), json);
  EXPECT_EQ(render("{{ range .Messages }}{{ end }}{{ json .Tools }}", v), json);
  EXPECT_EQ(render("{{ range .Messages }}{{ end }}{{ range .Tools }}{{ range $n, $p := .Function.Parameters.Properties }}"
                   "{{ $n }}:{{ $p.Type }}:{{ toTypeScriptType $p }}:{{ $p.ToTypeScriptType }};{{ end }}{{ end }}",
                   v),
            "location:[string null]:string | null:string | null;unit:string:string:string;");
  EXPECT_EQ(render("{{ range .Messages }}{{ end }}{{ toTypeScriptType \"x\" }}", v), "any");
}

TEST(PromptTemplate, ToolCallsAndArguments) {
  Message call{"assistant", ""};
  call.tool_calls.push_back({"call_abc", 0, "get_weather", R"({"unit":"C","city":"Paris","n":2})"});
  Values v = chat({{"user", "weather?"}, call, {"tool", "sunny", "", {}, {}, "get_weather", "call_abc"}});
  EXPECT_EQ(render("{{ range .Messages }}{{ range .ToolCalls }}{{ .Function.Name }}{{ .Function.Arguments }}{{ end }}{{ end }}", v),
            "get_weather{\"city\":\"Paris\",\"n\":2,\"unit\":\"C\"}");
  EXPECT_EQ(render("{{ range .Messages }}{{ range .ToolCalls }}{{ range $k, $v := .Function.Arguments }}{{ $k }}={{ $v }};"
                   "{{ end }}{{ end }}{{ end }}",
                   v),
            "city=Paris;n=2;unit=C;");
  EXPECT_EQ(render("{{ range .Messages }}{{ if .ToolCalls }}{{ json .ToolCalls }}{{ end }}{{ end }}", v),
            "[{\"ID\":\"call_abc\",\"Function\":{\"Index\":0,\"Name\":\"get_weather\",\"Arguments\":{\"city\":\"Paris\","
            "\"n\":2,\"unit\":\"C\"}}}]");
  EXPECT_EQ(render("{{ range .Messages }}{{ if eq .Role \"tool\" }}{{ .ToolName }}/{{ .ToolCallID }}:{{ .Content }}{{ end }}{{ end }}", v),
            "get_weather/call_abc:sunny");
}

TEST(PromptTemplate, ThinkValuesAndMissingKeys) {
  const char* t = "{{ range .Messages }}{{ end }}{{ .Think }}|{{ .ThinkLevel }}|{{ .IsThinkSet }}|{{ .Prompt }}";
  Values v = chat({{"user", "x"}});
  EXPECT_EQ(render(t, v), "false||false|<no value>");
  v.set_think(ThinkSetting::from_bool(true));
  EXPECT_EQ(render(t, v), "true|medium|true|<no value>");
  v.set_think(ThinkSetting::from_level("high"));
  EXPECT_EQ(render(t, v), "true|high|true|<no value>");
  v.set_think(ThinkSetting::from_bool(false));
  EXPECT_EQ(render(t, v), "false||true|<no value>");
}

TEST(PromptTemplate, CurrentDateIsTodayInLocalTime) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char today[16];
  std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
  std::string out = render("{{ range .Messages }}{{ end }}{{ currentDate }}|{{ yesterdayDate \"x\" }}", chat({{"user", "x"}}));
  EXPECT_EQ(out.substr(0, 10), today);
  EXPECT_EQ(out.size(), 21u);
  EXPECT_NE(out.substr(11), today);
}

const char* kQwenLike =
    "{{- range $i, $_ := .Messages }}\n"
    "{{- if eq .Role \"user\" }}<|im_start|>user\n{{ .Content }}<|im_end|>\n"
    "{{ else if eq .Role \"assistant\" }}<|im_start|>assistant\n"
    "{{ if .Thinking }}<think>{{ .Thinking }}</think>{{ end }}\n"
    "{{- if .ToolCalls }}<tool_call>\n{{ range .ToolCalls }}{\"name\": \"{{ .Function.Name }}\", \"arguments\": "
    "{{ .Function.Arguments }}}\n{{ end }}</tool_call>\n{{- else }}{{ .Content }}{{ end }}<|im_end|>\n"
    "{{ end }}{{ end }}{{ if .Tools }}tools{{ end }}<|im_start|>assistant\n";

TEST(TemplateInspect, ToolAndThinkingTags) {
  PromptTemplate qwen = PromptTemplate::parse(kQwenLike);
  EXPECT_EQ(infer_tool_call_tag(qwen.go()), "<tool_call>");
  EXPECT_EQ(infer_thinking_tags(qwen.go()), std::make_pair(std::string("<think>"), std::string("</think>")));
  EXPECT_EQ(go_template_capabilities(qwen), (std::vector<std::string>{"tools", "thinking"}));

  PromptTemplate plain = PromptTemplate::parse("{{ range .Messages }}{{ .Content }}{{ end }}");
  EXPECT_EQ(infer_tool_call_tag(plain.go()), "{");
  EXPECT_EQ(infer_thinking_tags(plain.go()), std::make_pair(std::string(), std::string()));
  EXPECT_TRUE(go_template_capabilities(plain).empty());

  PromptTemplate mistral = PromptTemplate::parse(
      "{{ range .Messages }}{{ if .ToolCalls }} [TOOL_CALLS] [{{ range .ToolCalls }}{{ json .Function }}{{ end }}]"
      "{{ end }}{{ end }}");
  EXPECT_EQ(infer_tool_call_tag(mistral.go()), "[TOOL_CALLS] [");
  PromptTemplate bare = PromptTemplate::parse("{{ range .Messages }}{{ if .ToolCalls }}{{ json .ToolCalls }}{{ end }}{{ end }}");
  EXPECT_EQ(infer_tool_call_tag(bare.go()), "{");
}

TEST(Capabilities, JinjaTemplatesAndPreference) {
  EXPECT_EQ(chat_template_capabilities("{% if tools %}x{% endif %}<think></think>"),
            (std::vector<std::string>{"tools", "thinking"}));
  EXPECT_TRUE(chat_template_has_thinking_support("{{ message.content.split('</think>')[-1] }}"));
  EXPECT_FALSE(chat_template_has_thinking_support("{{ content.split('</think>') }} reasoning_content"));
  EXPECT_TRUE(chat_template_has_tool_round_trip("tools tool_calls {% if message.role == 'tool' %}"));
  PromptTemplate plain = PromptTemplate::parse("{{ range .Messages }}{{ .Content }}{{ end }}");
  EXPECT_TRUE(should_prefer_chat_template("{% for t in tools %}{% endfor %}", plain));
  EXPECT_FALSE(should_prefer_chat_template("{{ messages }}", plain));
}

}  // namespace
}  // namespace corral::tmpl
