// Request JSON: parsing with Ollama's rules and writing for clients.
#include "api/requests.h"

#include <algorithm>

#include "util/base64.h"
#include "api/json_fields.h"
#include "api/status_error.h"

namespace corral::api {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<KeepAlive> read_keep_alive(const Fields& f) {
  const Json* v = f.raw("keep_alive");
  if (!v) return std::nullopt;
  try {
    return keep_alive_from_json(*v);
  } catch (const StatusError&) {
    throw;
  } catch (const Error& e) {
    fail_status(400, e.what());
  }
}

Json read_options(const Fields& f, const char* go_type) {
  const Json* v = f.raw("options");
  if (!v) return Json();
  if (!v->is_object()) f.type_error("options", *v, "map[string]interface {}");
  (void)go_type;
  return *v;
}

int read_top_logprobs(const Fields& f) {
  const auto v = f.integer("top_logprobs").value_or(0);
  if (v < 0 || v > 20) fail_status(400, "top_logprobs must be between 0 and 20");
  return static_cast<int>(v);
}

std::string model_or_name(const Fields& f) {
  std::string m = f.str("model").value_or("");
  if (m.empty()) m = f.str("name").value_or("");
  return m;
}

}  // namespace

Format parse_format(const Json& j) {
  Format out;
  if (j.is_null()) return out;
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s.empty()) return out;
    if (s == "json") {
      out.kind = Format::Kind::json;
      return out;
    }
    fail_status(400, "invalid format: \"" + s + "\"; expected \"json\" or a valid JSON Schema object");
  }
  if (j.is_object()) {
    out.kind = Format::Kind::schema;
    out.schema = j;
    return out;
  }
  fail_status(400, "invalid format: " + j.dump() + "; expected \"json\" or a valid JSON Schema object");
}

Think parse_think(const Json& j) {
  if (j.is_null()) return Think{};
  if (j.is_boolean()) return Think::from_bool(j.get<bool>());
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s == "high" || s == "medium" || s == "low" || s == "max") return Think::from_level(s);
    if (s == "true") return Think::from_bool(true);
    if (s == "false") return Think::from_bool(false);
    fail_status(400, "invalid think value: \"" + s + "\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)");
  }
  fail_status(400, "invalid think value: " + j.dump() + " (must be \"high\", \"medium\", \"low\", \"max\", true, or false)");
}

void check_images(const std::vector<std::string>& images) {
  for (const auto& img : images) {
    std::size_t at = 0;
    if (!base64_decode(img, &at)) fail_status(400, "illegal base64 data at input byte " + std::to_string(at));
  }
}

ToolCall parse_tool_call(const Json& j) {
  Fields f(j, "ToolCall");
  ToolCall c;
  c.id = f.str("id").value_or("");
  if (const Json* fn = f.raw("function")) {
    Fields ff(*fn, "ToolCallFunction");
    c.index = static_cast<int>(ff.integer("index").value_or(0));
    c.name = ff.str("name").value_or("");
    if (const Json* a = ff.raw("arguments")) {
      if (a->is_object()) {
        c.arguments = *a;
      } else if (a->is_string()) {
        // OpenAI-style clients send the arguments as JSON text.
        try {
          Json parsed = Json::parse(a->get<std::string>());
          if (!parsed.is_object()) throw std::runtime_error("not an object");
          c.arguments = std::move(parsed);
        } catch (const std::exception&) {
          ff.type_error("arguments", *a, "api.ToolCallFunctionArguments");
        }
      } else {
        ff.type_error("arguments", *a, "api.ToolCallFunctionArguments");
      }
    }
  }
  return c;
}

Message parse_message(const Json& j) {
  Fields f(j, "Message");
  Message m;
  m.role = lower(f.str("role").value_or(""));
  m.content = f.str("content").value_or("");
  m.thinking = f.str("thinking").value_or("");
  m.images = f.strings("images").value_or(std::vector<std::string>{});
  check_images(m.images);
  if (const Json* tc = f.raw("tool_calls")) {
    if (!tc->is_array()) f.type_error("tool_calls", *tc, "[]api.ToolCall");
    for (const auto& c : *tc) m.tool_calls.push_back(parse_tool_call(c));
  }
  m.tool_name = f.str("tool_name").value_or("");
  m.tool_call_id = f.str("tool_call_id").value_or("");
  return m;
}

std::vector<Message> parse_messages(const Json& j) {
  std::vector<Message> out;
  if (j.is_null()) return out;
  if (!j.is_array())
    fail_status(400, "json: cannot unmarshal " + json_kind(j) +
                         " into Go struct field ChatRequest.messages of type []api.Message");
  for (const auto& m : j) out.push_back(parse_message(m));
  return out;
}

GenerateRequest parse_generate_request(const Json& j) {
  Fields f(j, "GenerateRequest");
  GenerateRequest r;
  r.model = f.str("model").value_or("");
  r.prompt = f.str("prompt").value_or("");
  r.suffix = f.str("suffix").value_or("");
  r.system = f.str("system").value_or("");
  r.template_text = f.str("template");
  r.context = f.token_ids("context");
  r.stream = f.boolean("stream").value_or(true);
  r.raw = f.boolean("raw").value_or(false);
  if (const Json* v = f.raw("format")) r.format = parse_format(*v);
  r.keep_alive = read_keep_alive(f);
  r.images = f.strings("images").value_or(std::vector<std::string>{});
  check_images(r.images);
  r.options = read_options(f, "GenerateRequest");
  if (const Json* v = f.raw("think")) r.think = parse_think(*v);
  r.truncate = f.boolean("truncate");
  r.shift = f.boolean("shift");
  r.logprobs = f.boolean("logprobs").value_or(false);
  r.top_logprobs = read_top_logprobs(f);
  r.debug_render_only = f.boolean("_debug_render_only").value_or(false);
  return r;
}

ChatRequest parse_chat_request(const Json& j) {
  Fields f(j, "ChatRequest");
  ChatRequest r;
  r.model = f.str("model").value_or("");
  if (const Json* v = f.raw("messages")) r.messages = parse_messages(*v);
  r.stream = f.boolean("stream").value_or(true);
  if (const Json* v = f.raw("format")) r.format = parse_format(*v);
  r.keep_alive = read_keep_alive(f);
  if (const Json* v = f.raw("tools")) {
    if (!v->is_array()) f.type_error("tools", *v, "api.Tools");
    for (const auto& t : *v)
      if (!t.is_object()) f.type_error("tools", t, "api.Tool");
    r.tools = *v;
  }
  r.options = read_options(f, "ChatRequest");
  if (const Json* v = f.raw("think")) r.think = parse_think(*v);
  r.truncate = f.boolean("truncate");
  r.shift = f.boolean("shift");
  r.logprobs = f.boolean("logprobs").value_or(false);
  r.top_logprobs = read_top_logprobs(f);
  r.debug_render_only = f.boolean("_debug_render_only").value_or(false);
  return r;
}

EmbedRequest parse_embed_request(const Json& j) {
  Fields f(j, "EmbedRequest");
  EmbedRequest r;
  r.model = f.str("model").value_or("");
  if (const Json* v = f.raw("input")) {
    if (v->is_string()) {
      if (!v->get<std::string>().empty()) r.input.push_back(v->get<std::string>());
    } else if (v->is_array()) {
      for (const auto& e : *v) {
        if (!e.is_string()) fail_status(400, "invalid input type");
        r.input.push_back(e.get<std::string>());
      }
    } else {
      fail_status(400, "invalid input type");
    }
  }
  r.truncate = f.boolean("truncate");
  const auto dims = f.integer("dimensions").value_or(0);
  if (dims < 0 || dims > 1 << 24) fail_status(400, "dimensions must be a non-negative number of dimensions");
  r.dimensions = static_cast<int>(dims);
  r.keep_alive = read_keep_alive(f);
  r.options = read_options(f, "EmbedRequest");
  return r;
}

EmbeddingRequest parse_embedding_request(const Json& j) {
  Fields f(j, "EmbeddingRequest");
  EmbeddingRequest r;
  r.model = f.str("model").value_or("");
  r.prompt = f.str("prompt").value_or("");
  r.keep_alive = read_keep_alive(f);
  r.options = read_options(f, "EmbeddingRequest");
  return r;
}

ShowRequest parse_show_request(const Json& j) {
  Fields f(j, "ShowRequest");
  ShowRequest r;
  r.model = model_or_name(f);
  r.verbose = f.boolean("verbose").value_or(false);
  r.system = f.str("system").value_or("");
  r.options = read_options(f, "ShowRequest");
  return r;
}

CopyRequest parse_copy_request(const Json& j) {
  Fields f(j, "CopyRequest");
  return CopyRequest{f.str("source").value_or(""), f.str("destination").value_or("")};
}

DeleteRequest parse_delete_request(const Json& j) {
  Fields f(j, "DeleteRequest");
  return DeleteRequest{model_or_name(f)};
}

PullRequest parse_pull_request(const Json& j, const char* go_type) {
  Fields f(j, go_type);
  PullRequest r;
  r.model = model_or_name(f);
  r.insecure = f.boolean("insecure").value_or(false);
  r.stream = f.boolean("stream").value_or(true);
  return r;
}

TokenizeRequest parse_tokenize_request(const Json& j) {
  Fields f(j, "TokenizeRequest");
  TokenizeRequest r;
  r.model = f.str("model").value_or("");
  auto text = f.str("text");
  if (!text) text = f.str("content");
  if (!text) text = f.str("prompt");
  r.text = text.value_or("");
  r.add_special = f.boolean("add_special").value_or(true);
  r.options = read_options(f, "TokenizeRequest");
  r.keep_alive = read_keep_alive(f);
  return r;
}

DetokenizeRequest parse_detokenize_request(const Json& j) {
  Fields f(j, "DetokenizeRequest");
  DetokenizeRequest r;
  r.model = f.str("model").value_or("");
  r.tokens = f.token_ids("tokens").value_or(std::vector<std::int32_t>{});
  r.options = read_options(f, "DetokenizeRequest");
  r.keep_alive = read_keep_alive(f);
  return r;
}

// ---- writing ------------------------------------------------------------------

Json to_json(const ToolCall& c) {
  Json fn = Json::object();
  if (c.index) fn["index"] = c.index;
  fn["name"] = c.name;
  fn["arguments"] = c.arguments;
  Json j = Json::object();
  if (!c.id.empty()) j["id"] = c.id;
  j["function"] = std::move(fn);
  return j;
}

Json to_json(const Message& m) {
  Json j = Json::object();
  j["role"] = m.role;
  j["content"] = m.content;
  if (!m.thinking.empty()) j["thinking"] = m.thinking;
  if (!m.images.empty()) j["images"] = m.images;
  if (!m.tool_calls.empty()) {
    Json calls = Json::array();
    for (const auto& c : m.tool_calls) calls.push_back(to_json(c));
    j["tool_calls"] = std::move(calls);
  }
  if (!m.tool_name.empty()) j["tool_name"] = m.tool_name;
  if (!m.tool_call_id.empty()) j["tool_call_id"] = m.tool_call_id;
  return j;
}

Json to_json(const Format& f) {
  if (f.kind == Format::Kind::json) return "json";
  if (f.kind == Format::Kind::schema) return f.schema;
  return nullptr;
}

Json to_json(const Think& t) {
  if (t.kind == Think::Kind::Bool) return t.value;
  if (t.kind == Think::Kind::Level) return t.level;
  return nullptr;
}

namespace {

void put_common(Json& j, const Format& format, const std::optional<KeepAlive>& keep_alive, const Json& options,
                const Think& think, const std::optional<bool>& truncate, const std::optional<bool>& shift,
                bool logprobs, int top_logprobs) {
  if (format.is_set()) j["format"] = to_json(format);
  if (keep_alive) j["keep_alive"] = keep_alive_to_json(*keep_alive);
  if (options.is_object()) j["options"] = options;
  if (think.is_set()) j["think"] = to_json(think);
  if (truncate) j["truncate"] = *truncate;
  if (shift) j["shift"] = *shift;
  if (logprobs) j["logprobs"] = true;
  if (top_logprobs) j["top_logprobs"] = top_logprobs;
}

}  // namespace

Json to_json(const GenerateRequest& r) {
  Json j = Json::object();
  j["model"] = r.model;
  j["prompt"] = r.prompt;
  if (!r.suffix.empty()) j["suffix"] = r.suffix;
  if (!r.system.empty()) j["system"] = r.system;
  if (r.template_text) j["template"] = *r.template_text;
  if (r.context) j["context"] = *r.context;
  j["stream"] = r.stream;
  if (r.raw) j["raw"] = true;
  if (!r.images.empty()) j["images"] = r.images;
  put_common(j, r.format, r.keep_alive, r.options, r.think, r.truncate, r.shift, r.logprobs, r.top_logprobs);
  if (r.debug_render_only) j["_debug_render_only"] = true;
  return j;
}

Json to_json(const ChatRequest& r) {
  Json j = Json::object();
  j["model"] = r.model;
  Json msgs = Json::array();
  for (const auto& m : r.messages) msgs.push_back(to_json(m));
  j["messages"] = std::move(msgs);
  j["stream"] = r.stream;
  if (r.tools.is_array()) j["tools"] = r.tools;
  put_common(j, r.format, r.keep_alive, r.options, r.think, r.truncate, r.shift, r.logprobs, r.top_logprobs);
  if (r.debug_render_only) j["_debug_render_only"] = true;
  return j;
}

Json to_json(const EmbedRequest& r) {
  Json j = Json::object();
  j["model"] = r.model;
  j["input"] = r.input;
  if (r.truncate) j["truncate"] = *r.truncate;
  if (r.dimensions) j["dimensions"] = r.dimensions;
  if (r.keep_alive) j["keep_alive"] = keep_alive_to_json(*r.keep_alive);
  if (r.options.is_object()) j["options"] = r.options;
  return j;
}

Json to_json(const ShowRequest& r) {
  Json j = Json::object();
  j["model"] = r.model;
  if (r.verbose) j["verbose"] = true;
  if (!r.system.empty()) j["system"] = r.system;
  if (r.options.is_object()) j["options"] = r.options;
  return j;
}

Json to_json(const CopyRequest& r) { return Json{{"source", r.source}, {"destination", r.destination}}; }
Json to_json(const DeleteRequest& r) { return Json{{"model", r.model}}; }

Json to_json(const PullRequest& r) {
  Json j = Json::object();
  j["model"] = r.model;
  if (r.insecure) j["insecure"] = true;
  j["stream"] = r.stream;
  return j;
}

}  // namespace corral::api
