// Prompt rendering for generate and chat.
#include "server/prompt_builder.h"

#include "util/base64.h"
#include "api/status_error.h"
#include "template/chat_prompt.h"
#include "template/jinja_chat.h"
#include "template/request_json.h"

namespace corral::server {

namespace {

tmpl::Message from_stored(const store::CreateMessage& c) {
  tmpl::Message m;
  m.role = c.role;
  m.content = c.content;
  m.thinking = c.thinking;
  return m;
}

tmpl::TokenCounter counter(const tokenizer::Tokenizer& tok) {
  return [&tok](const std::string& p) { return tok.encode(p, true, true).size(); };
}

BuiltPrompt finish(const tokenizer::Tokenizer& tok, std::string text, std::size_t images) {
  BuiltPrompt b;
  b.tokens = tokenize_prompt(tok, text);
  b.text = std::move(text);
  b.image_count = images;
  return b;
}

bool is_thinking_history_family(const ResolvedModel& m) {
  const auto& fam = m.stored.config.model_family;
  return fam == "qwen3" || m.stored.name.model.find("deepseek-r1") != std::string::npos;
}

// A model without a Go template whose GGUF carries a Jinja chat_template is
// rendered through that (as Hugging Face's apply_chat_template does).
bool uses_jinja(const ResolvedModel& m) {
  return !m.stored.has_template_layer && m.gguf && !m.gguf->chat_template.empty();
}

std::string token_text(const tokenizer::Tokenizer& tok, tokenizer::TokenId id) {
  const auto& v = tok.vocab();
  if (id < 0 || static_cast<std::size_t>(id) >= v.tokens.size()) return "";
  return v.tokens[static_cast<std::size_t>(id)];
}

// Renders with the Jinja template; the oldest non-system messages are
// dropped while the prompt exceeds num_ctx (when truncating), keeping the last.
std::string render_jinja(const ResolvedModel& m, std::vector<tmpl::Message> msgs,
                         const std::vector<tmpl::Tool>& tools, const tokenizer::Tokenizer& tok,
                         std::int64_t num_ctx, bool truncate, const api::Think& think) {
  tmpl::JinjaChatOptions o;
  o.special_tokens = {{"bos_token", token_text(tok, tok.vocab().bos)}, {"eos_token", token_text(tok, tok.vocab().eos)}};
  if (think.is_set()) o.extra.emplace_back("enable_thinking", jinja::Value::from_bool(think.enabled()));
  const auto tmpl = jinja::Template::parse(m.gguf->chat_template);
  std::string prompt = tmpl::render_jinja_chat(tmpl, msgs, tools, o);
  while (truncate && num_ctx > 0 && tok.encode(prompt, true, true).size() > static_cast<std::size_t>(num_ctx)) {
    std::size_t drop = 0;
    while (drop < msgs.size() && msgs[drop].role == "system") ++drop;
    if (drop + 1 >= msgs.size()) break;  // only the last message is left
    msgs.erase(msgs.begin() + static_cast<std::ptrdiff_t>(drop));
    prompt = tmpl::render_jinja_chat(tmpl, msgs, tools, o);
  }
  return prompt;
}

}  // namespace

tmpl::Message to_template_message(const api::Message& m) {
  tmpl::Message t;
  t.role = m.role;
  t.content = m.content;
  t.thinking = m.thinking;
  for (const auto& img : m.images) {
    auto bytes = base64_decode(img);
    if (!bytes) throw api::StatusError(400, "invalid base64 image data");
    t.images.push_back(std::move(*bytes));
  }
  for (const auto& c : m.tool_calls) {
    tmpl::ToolCall tc;
    tc.id = c.id;
    tc.index = c.index;
    tc.name = c.name;
    tc.arguments = c.arguments.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    t.tool_calls.push_back(std::move(tc));
  }
  t.tool_name = m.tool_name;
  t.tool_call_id = m.tool_call_id;
  return t;
}

std::vector<tmpl::Tool> to_template_tools(const api::Json& tools) {
  if (!tools.is_array() || tools.empty()) return {};
  try {
    return tmpl::tools_from_json(tools);
  } catch (const api::StatusError&) {
    throw;
  } catch (const Error& e) {
    throw api::StatusError(400, e.what());
  }
}

std::vector<std::int32_t> tokenize_prompt(const tokenizer::Tokenizer& tok, const std::string& text) {
  std::vector<std::int32_t> ids = tok.encode(text, true, true);
  // A template that writes the BOS text itself plus the vocabulary's own BOS.
  if (ids.size() >= 2 && tok.vocab().add_bos && ids[0] == ids[1] && ids[0] == tok.vocab().bos) ids.erase(ids.begin());
  return ids;
}

BuiltPrompt build_generate_prompt(const ResolvedModel& m, const api::GenerateRequest& r,
                                  const tokenizer::Tokenizer& tok, std::int64_t num_ctx, const api::Think& think) {
  if (r.raw) return finish(tok, r.prompt, r.images.size());
  std::string prefix;
  if (r.context && !r.context->empty()) {
    for (auto id : *r.context) {
      try {
        tok.check_id(id);
      } catch (const Error& e) {
        throw api::StatusError(400, std::string("context: ") + e.what());
      }
    }
    prefix = tok.decode(*r.context);
  }
  std::shared_ptr<const tmpl::PromptTemplate> tmpl = m.prompt_template;
  if (r.template_text) {
    try {
      tmpl = std::make_shared<tmpl::PromptTemplate>(tmpl::PromptTemplate::parse(*r.template_text));
    } catch (const Error& e) {
      throw api::StatusError(500, std::string("template: ") + e.what());
    }
  }
  try {
    if (!r.suffix.empty()) {
      tmpl::Values v;
      v.prompt = r.prompt;
      v.suffix = r.suffix;
      return finish(tok, prefix + tmpl->execute(v), r.images.size());
    }
    std::vector<tmpl::Message> msgs;
    const std::string system = r.system.empty() ? m.stored.system : r.system;
    if (!system.empty()) msgs.push_back(tmpl::Message{"system", system, "", {}, {}, "", ""});
    if (!r.context)
      for (const auto& c : m.stored.messages) msgs.push_back(from_stored(c));
    api::Message user;
    user.role = "user";
    user.content = r.prompt;
    user.images = r.images;
    msgs.push_back(to_template_message(user));
    if (r.template_text) {
      tmpl::Values v;
      v.messages = std::move(msgs);
      v.set_think(think);
      return finish(tok, prefix + tmpl->execute(v), r.images.size());
    }
    if (uses_jinja(m))
      return finish(tok, prefix + render_jinja(m, std::move(msgs), {}, tok, num_ctx, r.truncate.value_or(true), think),
                    r.images.size());
    tmpl::ChatPromptOptions o;
    o.num_ctx = static_cast<std::size_t>(num_ctx);
    o.truncate = r.truncate.value_or(true);
    auto cp = tmpl::chat_prompt(*tmpl, msgs, {}, think, counter(tok), o);
    return finish(tok, prefix + cp.prompt, cp.images.size());
  } catch (const api::StatusError&) {
    throw;
  } catch (const Error& e) {
    throw api::StatusError(500, std::string("template: ") + e.what());
  }
}

BuiltPrompt build_chat_prompt(const ResolvedModel& m, const std::vector<api::Message>& messages,
                              const api::Json& tools, const tokenizer::Tokenizer& tok, std::int64_t num_ctx,
                              bool truncate, const api::Think& think) {
  std::vector<tmpl::Message> msgs;
  for (const auto& c : m.stored.messages) msgs.push_back(from_stored(c));
  for (const auto& msg : messages) msgs.push_back(to_template_message(msg));
  if (!m.stored.system.empty() && (messages.empty() || messages.front().role != "system"))
    msgs.insert(msgs.begin(), tmpl::Message{"system", m.stored.system, "", {}, {}, "", ""});
  if (is_thinking_history_family(m)) msgs = tmpl::strip_history_thinking(std::move(msgs));
  const auto tool_list = to_template_tools(tools);
  try {
    if (uses_jinja(m)) return finish(tok, render_jinja(m, std::move(msgs), tool_list, tok, num_ctx, truncate, think), 0);
    tmpl::ChatPromptOptions o;
    o.num_ctx = static_cast<std::size_t>(num_ctx);
    o.truncate = truncate;
    auto cp = tmpl::chat_prompt(*m.prompt_template, msgs, tool_list, think, counter(tok), o);
    return finish(tok, cp.prompt, cp.images.size());
  } catch (const api::StatusError&) {
    throw;
  } catch (const Error& e) {
    throw api::StatusError(500, std::string("template: ") + e.what());
  }
}

}  // namespace corral::server
