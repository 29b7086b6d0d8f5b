// Real chat templates through the Jinja engine: the chat_template of each
// shared tokenizer_config.json (Llama 3.1, Qwen 3, Gemma 3; Llama 2 has
// none) and of the tolstoy test model render the reference conversations
// into the model formats (expected strings written from those formats),
// and every Jinja template of the auto-detection catalogue renders.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "template/jinja_chat.h"
#include "template/named_templates.h"
#include "template/request_json.h"
#include "testutil/shared_data.h"
#include "util/error.h"

namespace corral::tmpl {
namespace {

std::vector<Message> conversation(const std::string& name) {
  Message sys{"system", "You are a helpful assistant."};
  Message u1{"user", "Hello, how are you?"};
  Message a1{"assistant", "I'm doing great. How can I help you today?"};
  Message u2{"user", "I'd like to show off how chat templating works!"};
  if (name == "user") return {u1};
  if (name == "user-assistant-user") return {u1, a1, u2};
  return {sys, u1, a1, u2};
}

struct Config {
  std::string chat_template;
  JinjaChatOptions options;
};

std::optional<Config> load(const std::string& rel) {
  auto p = test::shared_file(rel);
  if (!p) return std::nullopt;
  auto j = nlohmann::json::parse(test::read_file(*p));
  Config c;
  if (j.contains("chat_template") && j["chat_template"].is_string()) c.chat_template = j["chat_template"];
  for (const char* tok : {"bos_token", "eos_token", "unk_token", "pad_token"})
    if (j.contains(tok) && j[tok].is_string()) c.options.special_tokens.emplace_back(tok, j[tok].get<std::string>());
  return c;
}

#define LOAD_OR_SKIP(var, rel)                                    \
  auto var##_opt = load(rel);                                     \
  if (!var##_opt) GTEST_SKIP() << "shared data not found: " << rel; \
  const Config& var = *var##_opt

TEST(JinjaChat, Llama31) {
  LOAD_OR_SKIP(c, "tokenizers/llama3_1/tokenizer_config.json");
  const std::string h = "<|start_header_id|>", e = "<|end_header_id|>\n\n", eot = "<|eot_id|>";
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("user"), {}, c.options),
            "<|begin_of_text|>" + h + "user" + e + "Hello, how are you?" + eot + h + "assistant" + e);
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("system-user-assistant-user"), {}, c.options),
            "<|begin_of_text|>" + h + "system" + e + "You are a helpful assistant." + eot + h + "user" + e +
                "Hello, how are you?" + eot + h + "assistant" + e + "I'm doing great. How can I help you today?" + eot +
                h + "user" + e + "I'd like to show off how chat templating works!" + eot + h + "assistant" + e);
  JinjaChatOptions no_gen = c.options;
  no_gen.add_generation_prompt = false;
  EXPECT_EQ(render_jinja_chat(c.chat_template, {{"user", "  padded  "}}, {}, no_gen),
            "<|begin_of_text|>" + h + "user" + e + "padded" + eot);
}

TEST(JinjaChat, Qwen3) {
  LOAD_OR_SKIP(c, "tokenizers/qwen3/tokenizer_config.json");
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("user"), {}, c.options),
            "<|im_start|>user\nHello, how are you?<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("system-user-assistant-user"), {}, c.options),
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            "<|im_start|>user\nHello, how are you?<|im_end|>\n"
            "<|im_start|>assistant\nI'm doing great. How can I help you today?<|im_end|>\n"
            "<|im_start|>user\nI'd like to show off how chat templating works!<|im_end|>\n"
            "<|im_start|>assistant\n");
  JinjaChatOptions no_think = c.options;
  no_think.extra.emplace_back("enable_thinking", jinja::Value::from_bool(false));
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("user"), {}, no_think),
            "<|im_start|>user\nHello, how are you?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
  // Reasoning of the turn after the last user message is kept, earlier reasoning dropped.
  JinjaChatOptions no_gen = c.options;
  no_gen.add_generation_prompt = false;
  EXPECT_EQ(render_jinja_chat(c.chat_template,
                              {{"user", "1+1?"}, {"assistant", "<think>\nadd\n</think>\n\n2"}, {"user", "2+2?"},
                               {"assistant", "<think>\nadd again\n</think>\n\n4"}},
                              {}, no_gen),
            "<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n2<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n"
            "<|im_start|>assistant\n<think>\nadd again\n</think>\n\n4<|im_end|>\n");
}

TEST(JinjaChat, Qwen3WithToolsAndToolCalls) {
  LOAD_OR_SKIP(c, "tokenizers/qwen3/tokenizer_config.json");
  auto tools = tools_from_json(nlohmann::ordered_json::parse(
      R"([{"type":"function","function":{"name":"get_weather","description":"Get the weather",
          "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}])"));
  Message call{"assistant", ""};
  call.tool_calls.push_back({"", 0, "get_weather", R"({"city":"Paris"})"});
  std::vector<Message> msgs{{"user", "Weather in Paris?"}, call, {"tool", "sunny"}};
  EXPECT_EQ(render_jinja_chat(c.chat_template, msgs, tools, c.options),
            "<|im_start|>system\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
            "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
            "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \"Get the weather\", "
            "\"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"]}}}\n"
            "</tools>\n\nFor each function call, return a json object with function name and arguments within "
            "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
            "</tool_call><|im_end|>\n"
            "<|im_start|>user\nWeather in Paris?<|im_end|>\n"
            "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call><|im_end|>\n"
            "<|im_start|>user\n<tool_response>\nsunny\n</tool_response><|im_end|>\n"
            "<|im_start|>assistant\n");
}

TEST(JinjaChat, Gemma3) {
  LOAD_OR_SKIP(c, "tokenizers/gemma3/tokenizer_config.json");
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("user"), {}, c.options),
            "<bos><start_of_turn>user\nHello, how are you?<end_of_turn>\n<start_of_turn>model\n");
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("system-user-assistant-user"), {}, c.options),
            "<bos><start_of_turn>user\nYou are a helpful assistant.\n\nHello, how are you?<end_of_turn>\n"
            "<start_of_turn>model\nI'm doing great. How can I help you today?<end_of_turn>\n"
            "<start_of_turn>user\nI'd like to show off how chat templating works!<end_of_turn>\n"
            "<start_of_turn>model\n");
  try {
    render_jinja_chat(c.chat_template, {{"user", "a"}, {"user", "b"}}, {}, c.options);
    FAIL() << "non-alternating roles must raise";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Conversation roles must alternate user/assistant/user/assistant/..."),
              std::string::npos);
  }
}

TEST(JinjaChat, Llama2HasNoChatTemplate) {
  LOAD_OR_SKIP(c, "tokenizers/llama2/tokenizer_config.json");
  EXPECT_TRUE(c.chat_template.empty());
}

TEST(JinjaChat, TolstoyTestModel) {
  LOAD_OR_SKIP(c, "models/tolstoy/hf/tokenizer_config.json");
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("user"), {}, c.options),
            "USER: Hello, how are you?\nASSISTANT:");
  EXPECT_EQ(render_jinja_chat(c.chat_template, conversation("system-user-assistant-user"), {}, c.options),
            "You are a helpful assistant.\n\nUSER: Hello, how are you?\n"
            "ASSISTANT: I'm doing great. How can I help you today?</s>\n"
            "USER: I'd like to show off how chat templating works!\nASSISTANT:");
}

TEST(JinjaChat, CatalogueTemplatesRender) {
  JinjaChatOptions o;
  o.special_tokens = {{"bos_token", "<s>"}, {"eos_token", "</s>"}};
  int rendered = 0;
  for (const auto& k : known_chat_templates()) {
    std::string out = render_jinja_chat(k.jinja, conversation("user-assistant-user"), {}, o);
    EXPECT_NE(out.find("Hello, how are you?"), std::string::npos) << k.name;
    EXPECT_NE(out.find("show off how chat templating works!"), std::string::npos) << k.name;
    // With a system message templates either place it or refuse it through raise_exception.
    try {
      std::string sys = render_jinja_chat(k.jinja, conversation("system-user-assistant-user"), {}, o);
      EXPECT_NE(sys.find("Hello, how are you?"), std::string::npos) << k.name;
    } catch (const Error& e) {
      std::string w = e.what();
      EXPECT_TRUE(w.find("System") != std::string::npos || w.find("roles") != std::string::npos) << k.name << ": " << w;
    }
    ++rendered;
  }
  EXPECT_EQ(rendered, 37);
}

TEST(JinjaChat, CatalogueSpotChecks) {
  JinjaChatOptions o;
  o.special_tokens = {{"bos_token", "<s>"}, {"eos_token", "</s>"}};
  const auto& k = known_chat_templates();
  // 06: plain ChatML.
  EXPECT_EQ(render_jinja_chat(k[6].jinja, conversation("user"), {}, o),
            "<|im_start|>user\nHello, how are you?<|im_end|>\n<|im_start|>assistant\n");
  // 04: OpenChat, role title-cased through str.title().
  EXPECT_EQ(render_jinja_chat(k[4].jinja, conversation("user"), {}, o),
            "<s>GPT4 Correct User: Hello, how are you?<|end_of_turn|>GPT4 Correct Assistant:");
  // 02: Zephyr, written with trim_blocks-sensitive newlines.
  EXPECT_EQ(render_jinja_chat(k[2].jinja, conversation("user"), {}, o), "<|user|>\nHello, how are you?</s>\n<|assistant|>\n");
  // 12: Llama 2 with the system prompt folded into the first user turn.
  EXPECT_EQ(render_jinja_chat(k[12].jinja, {{"system", "Sys"}, {"user", "Hi"}, {"assistant", "Yo"}}, {}, o),
            "<s>[INST] <<SYS>>\nSys\n<</SYS>>\n\nHi [/INST] Yo </s>");
}

}  // namespace
}  // namespace corral::tmpl
