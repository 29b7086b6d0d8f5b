// OpenAI <-> native conversions.
#include "server/openai_convert.h"

#include <random>

#include "util/base64.h"
#include "api/json_fields.h"
#include "api/requests.h"
#include "api/status_error.h"

namespace corral::server {

namespace {

[[noreturn]] void bad(const std::string& msg) { throw api::StatusError(400, msg); }

const api::Json* field(const api::Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string str_field(const api::Json& j, const char* key) {
  const api::Json* v = field(j, key);
  if (!v) return "";
  if (!v->is_string()) bad(std::string("invalid type for '") + key + "' field: expected a string");
  return v->get<std::string>();
}

// data:image/png;base64,XXXX -> XXXX (validated).
std::string image_from_url(const std::string& url) {
  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0)
    bad("image URLs are not currently supported, please use base64 encoded data instead");
  std::string data = url;
  if (url.rfind("data:", 0) == 0) {
    const auto comma = url.find(',');
    if (comma == std::string::npos || url.substr(0, comma).find(";base64") == std::string::npos)
      bad("invalid image input");
    const std::string mime = url.substr(5, url.find(';') - 5);
    if (!mime.empty() && mime != "image/jpeg" && mime != "image/jpg" && mime != "image/png" && mime != "image/webp")
      bad("invalid image input");
    data = url.substr(comma + 1);
  }
  if (!base64_decode(data)) bad("invalid image input");
  return data;
}

void apply_sampling(const api::Json& j, api::Json& options, bool chat) {
  auto number = [&](const char* key) -> const api::Json* {
    const api::Json* v = field(j, key);
    if (v && !v->is_number()) bad(std::string("invalid type for '") + key + "' field: expected a number");
    return v;
  };
  const api::Json* max_tokens = number("max_tokens");
  if (!max_tokens && chat) max_tokens = number("max_completion_tokens");
  if (max_tokens) options["num_predict"] = *max_tokens;
  if (const api::Json* v = number("seed")) options["seed"] = *v;
  const api::Json* t = number("temperature");
  options["temperature"] = t ? *t : api::Json(1.0);
  const api::Json* p = number("top_p");
  options["top_p"] = (p && p->get<double>() != 0) ? *p : api::Json(1.0);
  if (const api::Json* v = number("frequency_penalty")) options["frequency_penalty"] = *v;
  if (const api::Json* v = number("presence_penalty")) options["presence_penalty"] = *v;
  if (const api::Json* stop = field(j, "stop")) {
    api::Json list = api::Json::array();
    if (stop->is_string()) {
      list.push_back(*stop);
    } else if (stop->is_array()) {
      for (const auto& s : *stop) {
        if (!s.is_string()) bad("invalid type for 'stop' field: " + api::json_kind(s));
        list.push_back(s);
      }
    } else {
      bad("invalid type for 'stop' field: " + api::json_kind(*stop));
    }
    options["stop"] = list;
  }
}

bool include_usage(const api::Json& j) {
  const api::Json* so = field(j, "stream_options");
  if (!so || !so->is_object()) return false;
  auto it = so->find("include_usage");
  return it != so->end() && it->is_boolean() && it->get<bool>();
}

api::Think think_from_effort(const std::string& effort) {
  if (effort.empty()) return {};
  if (effort == "none") return api::Think::from_bool(false);
  if (effort == "minimal") return api::Think::from_level("low");
  if (effort == "low" || effort == "medium" || effort == "high" || effort == "max") return api::Think::from_level(effort);
  if (effort == "xhigh" || effort == "ultra") return api::Think::from_level("max");
  bad("invalid reasoning value: '" + effort + "' (must be \"none\", \"minimal\", \"low\", \"medium\", \"high\", or \"max\")");
}

std::vector<api::Message> convert_message(const api::Json& m) {
  if (!m.is_object()) bad("invalid message format");
  std::vector<api::Message> out;
  const std::string role = str_field(m, "role");
  std::string reasoning = str_field(m, "reasoning");
  if (reasoning.empty()) reasoning = str_field(m, "reasoning_content");
  const api::Json* content = field(m, "content");
  auto base = [&] {
    api::Message msg;
    msg.role = role;
    if (role == "tool") {
      msg.tool_call_id = str_field(m, "tool_call_id");
      msg.tool_name = str_field(m, "name");
    }
    return msg;
  };
  if (!content || content->is_string()) {
    api::Message msg = base();
    if (content) msg.content = content->get<std::string>();
    msg.thinking = reasoning;
    out.push_back(std::move(msg));
  } else if (content->is_array()) {
    for (const auto& part : *content) {
      if (!part.is_object()) bad("invalid message format");
      const std::string type = str_field(part, "type");
      api::Message msg = base();
      if (type == "text") {
        msg.content = str_field(part, "text");
      } else if (type == "image_url") {
        const api::Json* iu = field(part, "image_url");
        std::string url;
        if (iu && iu->is_string()) url = iu->get<std::string>();
        else if (iu && iu->is_object()) url = str_field(*iu, "url");
        else bad("invalid message format");
        msg.images.push_back(image_from_url(url));
      } else if (type == "input_audio") {
        const api::Json* ia = field(part, "input_audio");
        if (!ia || !ia->is_object()) bad("invalid message format");
        const std::string data = str_field(*ia, "data");
        if (!base64_decode(data)) bad("invalid audio input");
        msg.images.push_back(data);
      } else {
        bad("invalid message format");
      }
      out.push_back(std::move(msg));
    }
    if (out.empty()) out.push_back(base());
    out.front().thinking = reasoning;
  } else {
    bad("invalid message content type: " + api::json_kind(*content));
  }
  if (const api::Json* calls = field(m, "tool_calls")) {
    if (!calls->is_array()) bad("invalid tool_calls format");
    int index = 0;
    for (const auto& c : *calls) {
      if (!c.is_object()) bad("invalid tool_calls format");
      api::ToolCall tc;
      tc.id = str_field(c, "id");
      tc.index = index++;
      const api::Json* fn = field(c, "function");
      if (!fn || !fn->is_object()) bad("invalid tool_calls format");
      tc.name = str_field(*fn, "name");
      if (const api::Json* a = field(*fn, "arguments")) {
        if (a->is_string()) {
          const std::string text = a->get<std::string>();
          try {
            tc.arguments = text.empty() ? api::Json::object() : api::Json::parse(text);
          } catch (const std::exception&) {
            bad("invalid tool call arguments: not JSON");
          }
          if (!tc.arguments.is_object()) bad("invalid tool call arguments: not a JSON object");
        } else if (a->is_object()) {
          tc.arguments = *a;
        } else {
          bad("invalid tool call arguments");
        }
      }
      out.back().tool_calls.push_back(std::move(tc));
    }
  }
  return out;
}

}  // namespace

OpenAIChatRequest parse_openai_chat(const api::Json& j) {
  if (!j.is_object()) bad("invalid request body");
  OpenAIChatRequest r;
  ChatInput& in = r.input;
  in.model_name = str_field(j, "model");
  const api::Json* msgs = field(j, "messages");
  if (!msgs || !msgs->is_array() || msgs->empty()) bad("[] is too short - 'messages'");
  for (const auto& m : *msgs)
    for (auto& x : convert_message(m)) in.messages.push_back(std::move(x));
  if (const api::Json* s = field(j, "stream")) {
    if (!s->is_boolean()) bad("invalid type for 'stream' field: expected a boolean");
    r.stream = s->get<bool>();
  }
  r.include_usage = include_usage(j);
  in.options = api::Json::object();
  apply_sampling(j, in.options, true);
  if (const api::Json* rf = field(j, "response_format")) {
    if (!rf->is_object()) bad("invalid type for 'response_format' field");
    const std::string type = str_field(*rf, "type");
    if (type == "json_object") {
      in.format.kind = api::Format::Kind::json;
    } else if (type == "json_schema") {
      const api::Json* js = field(*rf, "json_schema");
      const api::Json* schema = js && js->is_object() ? field(*js, "schema") : nullptr;
      if (!schema || !schema->is_object()) bad("invalid json_schema: missing 'schema' object");
      in.format.kind = api::Format::Kind::schema;
      in.format.schema = *schema;
    } else if (type != "text" && !type.empty()) {
      bad("invalid response_format type: " + type);
    }
  }
  if (const api::Json* tools = field(j, "tools")) {
    if (!tools->is_array()) bad("invalid type for 'tools' field");
    in.tools = *tools;
  }
  std::string effort = str_field(j, "reasoning_effort");
  if (const api::Json* reasoning = field(j, "reasoning"); reasoning && reasoning->is_object())
    if (effort.empty()) effort = str_field(*reasoning, "effort");
  in.think = think_from_effort(effort);
  if (const api::Json* lp = field(j, "logprobs"); lp && lp->is_boolean()) in.logprobs = lp->get<bool>();
  if (const api::Json* tlp = field(j, "top_logprobs"); tlp && tlp->is_number_integer()) {
    const auto n = tlp->get<std::int64_t>();
    if (n < 0 || n > 20) bad("top_logprobs must be between 0 and 20");
    in.top_logprobs = static_cast<int>(n);
  }
  if (const api::Json* d = field(j, "_debug_render_only"); d && d->is_boolean()) r.debug_render_only = d->get<bool>();
  return r;
}

OpenAICompletionRequest parse_openai_completion(const api::Json& j) {
  if (!j.is_object()) bad("invalid request body");
  OpenAICompletionRequest r;
  api::GenerateRequest& g = r.generate;
  g.model = str_field(j, "model");
  const api::Json* prompt = field(j, "prompt");
  if (prompt && prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string()) {
    g.prompt = (*prompt)[0].get<std::string>();
  } else if (prompt && !prompt->is_string()) {
    bad("invalid type for 'prompt' field: only a string is supported");
  } else if (prompt) {
    g.prompt = prompt->get<std::string>();
  }
  g.suffix = str_field(j, "suffix");
  if (const api::Json* s = field(j, "stream")) {
    if (!s->is_boolean()) bad("invalid type for 'stream' field: expected a boolean");
    r.stream = s->get<bool>();
  }
  g.stream = r.stream;
  r.include_usage = include_usage(j);
  g.options = api::Json::object();
  apply_sampling(j, g.options, false);
  if (!g.options.contains("presence_penalty")) g.options["presence_penalty"] = 0.0;
  if (!g.options.contains("frequency_penalty")) g.options["frequency_penalty"] = 0.0;
  if (const api::Json* lp = field(j, "logprobs"); lp && lp->is_number_integer()) {
    const auto n = lp->get<std::int64_t>();
    if (n < 0 || n > 20) bad("logprobs must be between 0 and 20");
    g.logprobs = n > 0;
    g.top_logprobs = static_cast<int>(n);
  }
  return r;
}

OpenAIEmbeddingRequest parse_openai_embedding(const api::Json& j) {
  if (!j.is_object()) bad("invalid request body");
  OpenAIEmbeddingRequest r;
  r.model = str_field(j, "model");
  const api::Json* in = field(j, "input");
  if (!in) bad("invalid input");
  if (in->is_string()) {
    r.input.push_back(in->get<std::string>());
  } else if (in->is_array() && !in->empty()) {
    for (const auto& e : *in) {
      if (!e.is_string()) bad("invalid input");
      r.input.push_back(e.get<std::string>());
    }
  } else {
    bad("invalid input");
  }
  if (const api::Json* d = field(j, "dimensions"); d && d->is_number_integer()) {
    const auto n = d->get<std::int64_t>();
    if (n < 0 || n > (1 << 24)) bad("invalid value for 'dimensions'");
    r.dimensions = static_cast<int>(n);
  }
  const std::string enc = str_field(j, "encoding_format");
  if (enc == "base64") {
    r.base64 = true;
  } else if (!enc.empty() && enc != "float") {
    bad("Invalid value for 'encoding_format' = " + enc + ". Supported values: ['float', 'base64'].");
  }
  return r;
}

std::string openai_id(const char* prefix) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return std::string(prefix) + "-" + std::to_string(rng() % 999);
}

api::Json openai_tool_call(const api::ToolCall& c, int index) {
  return api::Json{{"id", c.id.empty() ? "call_" + std::to_string(index) : c.id},
                   {"index", index},
                   {"type", "function"},
                   {"function", {{"name", c.name}, {"arguments", c.arguments.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}}}};
}

std::string finish_reason(const std::string& done_reason, bool had_tool_calls) {
  if (done_reason == "length") return "length";
  if (had_tool_calls) return "tool_calls";
  return "stop";
}

api::Json openai_usage(const api::Metrics& m) {
  return api::Json{{"prompt_tokens", m.prompt_eval_count},
                   {"completion_tokens", m.eval_count},
                   {"total_tokens", m.prompt_eval_count + m.eval_count}};
}

api::Json openai_logprobs(const std::vector<api::Logprob>& l) {
  api::Json content = api::Json::array();
  for (const auto& e : l) {
    api::Json top = api::Json::array();
    for (const auto& t : e.top_logprobs) top.push_back({{"token", t.token}, {"logprob", t.logprob}, {"bytes", t.bytes}});
    content.push_back({{"token", e.chosen.token}, {"logprob", e.chosen.logprob}, {"bytes", e.chosen.bytes}, {"top_logprobs", top}});
  }
  return api::Json{{"content", content}};
}

api::Json openai_error(int status, const std::string& message) {
  const char* type = status == 400 ? "invalid_request_error" : status == 404 ? "not_found_error" : "api_error";
  return api::Json{{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}}}};
}

}  // namespace corral::server
