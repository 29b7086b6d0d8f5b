// Response JSON: writing in Go's field order and reading it back.
#include "api/responses.h"

#include "api/requests.h"

namespace corral::api {

namespace {

template <typename T>
T get_or(const Json& j, const char* key, T def) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return def;
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    return def;
  }
}

TimePoint get_time(const Json& j, const char* key) {
  const std::string s = get_or<std::string>(j, key, "");
  return parse_time(s).value_or(TimePoint{});
}

Json token_logprob_json(const TokenLogprob& t) {
  Json j = Json::object();
  j["token"] = t.token;
  j["logprob"] = t.logprob;
  if (!t.bytes.empty()) j["bytes"] = t.bytes;
  return j;
}

TokenLogprob parse_token_logprob(const Json& j) {
  TokenLogprob t;
  t.token = get_or<std::string>(j, "token", "");
  t.logprob = get_or<double>(j, "logprob", 0);
  t.bytes = get_or<std::vector<int>>(j, "bytes", {});
  return t;
}

std::vector<Logprob> parse_logprobs(const Json& j) {
  std::vector<Logprob> out;
  auto it = j.find("logprobs");
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& e : *it) {
    Logprob l;
    l.chosen = parse_token_logprob(e);
    if (auto t = e.find("top_logprobs"); t != e.end() && t->is_array())
      for (const auto& x : *t) l.top_logprobs.push_back(parse_token_logprob(x));
    out.push_back(std::move(l));
  }
  return out;
}

Message parse_message_lenient(const Json& j) {
  Message m;
  m.role = get_or<std::string>(j, "role", "");
  m.content = get_or<std::string>(j, "content", "");
  m.thinking = get_or<std::string>(j, "thinking", "");
  m.images = get_or<std::vector<std::string>>(j, "images", {});
  if (auto t = j.find("tool_calls"); t != j.end() && t->is_array())
    for (const auto& c : *t) {
      try {
        m.tool_calls.push_back(parse_tool_call(c));
      } catch (const std::exception&) {
      }
    }
  m.tool_name = get_or<std::string>(j, "tool_name", "");
  m.tool_call_id = get_or<std::string>(j, "tool_call_id", "");
  return m;
}

}  // namespace

Json to_json(const Metrics& m, Json& into) {
  if (m.total_duration) into["total_duration"] = m.total_duration;
  if (m.load_duration) into["load_duration"] = m.load_duration;
  if (m.prompt_eval_count) into["prompt_eval_count"] = m.prompt_eval_count;
  if (m.prompt_eval_duration) into["prompt_eval_duration"] = m.prompt_eval_duration;
  if (m.eval_count) into["eval_count"] = m.eval_count;
  if (m.eval_duration) into["eval_duration"] = m.eval_duration;
  return into;
}

Json to_json(const Logprob& l) {
  Json j = token_logprob_json(l.chosen);
  if (!l.top_logprobs.empty()) {
    Json top = Json::array();
    for (const auto& t : l.top_logprobs) top.push_back(token_logprob_json(t));
    j["top_logprobs"] = std::move(top);
  }
  return j;
}

Json to_json(const GenerateResponse& r) {
  Json j = Json::object();
  j["model"] = r.model;
  j["created_at"] = format_time_utc(r.created_at);
  j["response"] = r.response;
  if (!r.thinking.empty()) j["thinking"] = r.thinking;
  j["done"] = r.done;
  if (!r.done_reason.empty()) j["done_reason"] = r.done_reason;
  if (r.context && !r.context->empty()) j["context"] = *r.context;
  to_json(r.metrics, j);
  if (!r.tool_calls.empty()) {
    Json calls = Json::array();
    for (const auto& c : r.tool_calls) calls.push_back(to_json(c));
    j["tool_calls"] = std::move(calls);
  }
  if (r.debug_info) j["_debug_info"] = *r.debug_info;
  if (!r.logprobs.empty()) {
    Json lp = Json::array();
    for (const auto& l : r.logprobs) lp.push_back(to_json(l));
    j["logprobs"] = std::move(lp);
  }
  return j;
}

Json to_json(const ChatResponse& r) {
  Json j = Json::object();
  j["model"] = r.model;
  j["created_at"] = format_time_utc(r.created_at);
  j["message"] = to_json(r.message);
  if (!r.done_reason.empty()) j["done_reason"] = r.done_reason;
  if (r.debug_info) j["_debug_info"] = *r.debug_info;
  j["done"] = r.done;
  to_json(r.metrics, j);
  if (!r.logprobs.empty()) {
    Json lp = Json::array();
    for (const auto& l : r.logprobs) lp.push_back(to_json(l));
    j["logprobs"] = std::move(lp);
  }
  return j;
}

Json to_json(const EmbedResponse& r) {
  Json j = Json::object();
  j["model"] = r.model;
  Json e = Json::array();
  for (const auto& v : r.embeddings) e.push_back(v);
  j["embeddings"] = std::move(e);
  if (r.total_duration) j["total_duration"] = r.total_duration;
  if (r.load_duration) j["load_duration"] = r.load_duration;
  if (r.prompt_eval_count) j["prompt_eval_count"] = r.prompt_eval_count;
  return j;
}

Json to_json(const EmbeddingResponse& r) { return Json{{"embedding", r.embedding}}; }

Json to_json(const ModelDetails& d) {
  Json j = Json::object();
  j["parent_model"] = d.parent_model;
  j["format"] = d.format;
  j["family"] = d.family;
  j["families"] = d.families ? Json(*d.families) : Json(nullptr);
  j["parameter_size"] = d.parameter_size;
  j["quantization_level"] = d.quantization_level;
  if (d.context_length) j["context_length"] = d.context_length;
  if (d.embedding_length) j["embedding_length"] = d.embedding_length;
  return j;
}

Json to_json(const ShowResponse& r) {
  Json j = Json::object();
  if (!r.license.empty()) j["license"] = r.license;
  if (!r.modelfile.empty()) j["modelfile"] = r.modelfile;
  if (!r.parameters.empty()) j["parameters"] = r.parameters;
  if (!r.template_text.empty()) j["template"] = r.template_text;
  if (!r.system.empty()) j["system"] = r.system;
  if (!r.renderer.empty()) j["renderer"] = r.renderer;
  if (!r.parser.empty()) j["parser"] = r.parser;
  j["details"] = to_json(r.details);
  if (!r.messages.empty()) {
    Json msgs = Json::array();
    for (const auto& m : r.messages) msgs.push_back(to_json(m));
    j["messages"] = std::move(msgs);
  }
  if (!r.remote_model.empty()) j["remote_model"] = r.remote_model;
  if (!r.remote_host.empty()) j["remote_host"] = r.remote_host;
  j["model_info"] = r.model_info.is_object() ? r.model_info : Json::object();
  if (r.projector_info.is_object() && !r.projector_info.empty()) j["projector_info"] = r.projector_info;
  if (!r.tensors.empty()) {
    Json t = Json::array();
    for (const auto& x : r.tensors) t.push_back(Json{{"name", x.name}, {"type", x.type}, {"shape", x.shape}});
    j["tensors"] = std::move(t);
  }
  if (!r.capabilities.empty()) j["capabilities"] = r.capabilities;
  j["modified_at"] = format_time_local(r.modified_at);
  if (!r.requires_version.empty()) j["requires"] = r.requires_version;
  return j;
}

Json to_json(const ProgressResponse& r) {
  Json j = Json::object();
  j["status"] = r.status;
  if (!r.digest.empty()) j["digest"] = r.digest;
  if (r.total) j["total"] = r.total;
  if (r.completed) j["completed"] = r.completed;
  return j;
}

Json to_json(const ListModel& m) {
  Json j = Json::object();
  j["name"] = m.name;
  j["model"] = m.model;
  if (!m.remote_model.empty()) j["remote_model"] = m.remote_model;
  if (!m.remote_host.empty()) j["remote_host"] = m.remote_host;
  j["modified_at"] = format_time_local(m.modified_at);
  j["size"] = m.size;
  j["digest"] = m.digest;
  j["details"] = to_json(m.details);
  if (!m.capabilities.empty()) j["capabilities"] = m.capabilities;
  return j;
}

Json to_json(const std::vector<ListModel>& models) {
  Json arr = Json::array();
  for (const auto& m : models) arr.push_back(to_json(m));
  return Json{{"models", std::move(arr)}};
}

Json to_json(const ProcessModel& m) {
  Json j = Json::object();
  j["name"] = m.name;
  j["model"] = m.model;
  j["size"] = m.size;
  j["digest"] = m.digest;
  j["details"] = to_json(m.details);
  j["expires_at"] = format_time_local(m.expires_at);
  j["size_vram"] = m.size_vram;
  j["context_length"] = m.context_length;
  return j;
}

Json to_json(const std::vector<ProcessModel>& models) {
  Json arr = Json::array();
  for (const auto& m : models) arr.push_back(to_json(m));
  return Json{{"models", std::move(arr)}};
}

Json to_json(const TokenizeResponse& r) { return Json{{"model", r.model}, {"tokens", r.tokens}}; }
Json to_json(const DetokenizeResponse& r) { return Json{{"model", r.model}, {"text", r.text}}; }
Json error_json(const std::string& message) { return Json{{"error", message}}; }

// ---- reading ------------------------------------------------------------------

Metrics parse_metrics(const Json& j) {
  Metrics m;
  m.total_duration = get_or<std::int64_t>(j, "total_duration", 0);
  m.load_duration = get_or<std::int64_t>(j, "load_duration", 0);
  m.prompt_eval_count = get_or<std::int64_t>(j, "prompt_eval_count", 0);
  m.prompt_eval_duration = get_or<std::int64_t>(j, "prompt_eval_duration", 0);
  m.eval_count = get_or<std::int64_t>(j, "eval_count", 0);
  m.eval_duration = get_or<std::int64_t>(j, "eval_duration", 0);
  return m;
}

GenerateResponse parse_generate_response(const Json& j) {
  GenerateResponse r;
  r.model = get_or<std::string>(j, "model", "");
  r.created_at = get_time(j, "created_at");
  r.response = get_or<std::string>(j, "response", "");
  r.thinking = get_or<std::string>(j, "thinking", "");
  r.done = get_or<bool>(j, "done", false);
  r.done_reason = get_or<std::string>(j, "done_reason", "");
  if (auto c = j.find("context"); c != j.end() && c->is_array())
    r.context = get_or<std::vector<std::int32_t>>(j, "context", {});
  r.metrics = parse_metrics(j);
  if (auto t = j.find("tool_calls"); t != j.end() && t->is_array())
    for (const auto& c : *t) r.tool_calls.push_back(parse_tool_call(c));
  if (auto d = j.find("_debug_info"); d != j.end()) r.debug_info = *d;
  r.logprobs = parse_logprobs(j);
  return r;
}

ChatResponse parse_chat_response(const Json& j) {
  ChatResponse r;
  r.model = get_or<std::string>(j, "model", "");
  r.created_at = get_time(j, "created_at");
  if (auto m = j.find("message"); m != j.end() && m->is_object()) r.message = parse_message_lenient(*m);
  r.done_reason = get_or<std::string>(j, "done_reason", "");
  if (auto d = j.find("_debug_info"); d != j.end()) r.debug_info = *d;
  r.done = get_or<bool>(j, "done", false);
  r.metrics = parse_metrics(j);
  r.logprobs = parse_logprobs(j);
  return r;
}

EmbedResponse parse_embed_response(const Json& j) {
  EmbedResponse r;
  r.model = get_or<std::string>(j, "model", "");
  r.embeddings = get_or<std::vector<std::vector<float>>>(j, "embeddings", {});
  r.total_duration = get_or<std::int64_t>(j, "total_duration", 0);
  r.load_duration = get_or<std::int64_t>(j, "load_duration", 0);
  r.prompt_eval_count = get_or<std::int64_t>(j, "prompt_eval_count", 0);
  return r;
}

ModelDetails parse_model_details(const Json& j) {
  ModelDetails d;
  d.parent_model = get_or<std::string>(j, "parent_model", "");
  d.format = get_or<std::string>(j, "format", "");
  d.family = get_or<std::string>(j, "family", "");
  if (auto f = j.find("families"); f != j.end() && f->is_array())
    d.families = get_or<std::vector<std::string>>(j, "families", {});
  d.parameter_size = get_or<std::string>(j, "parameter_size", "");
  d.quantization_level = get_or<std::string>(j, "quantization_level", "");
  d.context_length = get_or<std::int64_t>(j, "context_length", 0);
  d.embedding_length = get_or<std::int64_t>(j, "embedding_length", 0);
  return d;
}

ShowResponse parse_show_response(const Json& j) {
  ShowResponse r;
  r.license = get_or<std::string>(j, "license", "");
  r.modelfile = get_or<std::string>(j, "modelfile", "");
  r.parameters = get_or<std::string>(j, "parameters", "");
  r.template_text = get_or<std::string>(j, "template", "");
  r.system = get_or<std::string>(j, "system", "");
  r.renderer = get_or<std::string>(j, "renderer", "");
  r.parser = get_or<std::string>(j, "parser", "");
  if (auto d = j.find("details"); d != j.end() && d->is_object()) r.details = parse_model_details(*d);
  if (auto m = j.find("messages"); m != j.end() && m->is_array())
    for (const auto& x : *m) r.messages.push_back(parse_message_lenient(x));
  r.remote_model = get_or<std::string>(j, "remote_model", "");
  r.remote_host = get_or<std::string>(j, "remote_host", "");
  if (auto m = j.find("model_info"); m != j.end() && m->is_object()) r.model_info = *m;
  if (auto m = j.find("projector_info"); m != j.end() && m->is_object()) r.projector_info = *m;
  if (auto t = j.find("tensors"); t != j.end() && t->is_array())
    for (const auto& x : *t)
      r.tensors.push_back({get_or<std::string>(x, "name", ""), get_or<std::string>(x, "type", ""),
                           get_or<std::vector<std::uint64_t>>(x, "shape", {})});
  r.capabilities = get_or<std::vector<std::string>>(j, "capabilities", {});
  r.modified_at = get_time(j, "modified_at");
  r.requires_version = get_or<std::string>(j, "requires", "");
  return r;
}

ProgressResponse parse_progress_response(const Json& j) {
  ProgressResponse r;
  r.status = get_or<std::string>(j, "status", "");
  r.digest = get_or<std::string>(j, "digest", "");
  r.total = get_or<std::int64_t>(j, "total", 0);
  r.completed = get_or<std::int64_t>(j, "completed", 0);
  return r;
}

std::vector<ListModel> parse_list_response(const Json& j) {
  std::vector<ListModel> out;
  auto it = j.find("models");
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& x : *it) {
    ListModel m;
    m.name = get_or<std::string>(x, "name", "");
    m.model = get_or<std::string>(x, "model", "");
    m.remote_model = get_or<std::string>(x, "remote_model", "");
    m.remote_host = get_or<std::string>(x, "remote_host", "");
    m.modified_at = get_time(x, "modified_at");
    m.size = get_or<std::int64_t>(x, "size", 0);
    m.digest = get_or<std::string>(x, "digest", "");
    if (auto d = x.find("details"); d != x.end() && d->is_object()) m.details = parse_model_details(*d);
    m.capabilities = get_or<std::vector<std::string>>(x, "capabilities", {});
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<ProcessModel> parse_process_response(const Json& j) {
  std::vector<ProcessModel> out;
  auto it = j.find("models");
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& x : *it) {
    ProcessModel m;
    m.name = get_or<std::string>(x, "name", "");
    m.model = get_or<std::string>(x, "model", "");
    m.size = get_or<std::int64_t>(x, "size", 0);
    m.digest = get_or<std::string>(x, "digest", "");
    if (auto d = x.find("details"); d != x.end() && d->is_object()) m.details = parse_model_details(*d);
    m.expires_at = get_time(x, "expires_at");
    m.size_vram = get_or<std::int64_t>(x, "size_vram", 0);
    m.context_length = get_or<std::int64_t>(x, "context_length", 0);
    out.push_back(std::move(m));
  }
  return out;
}

std::string response_error(const Json& j) {
  if (!j.is_object()) return "";
  auto it = j.find("error");
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) return get_or<std::string>(*it, "message", it->dump());
  return it->dump();
}

}  // namespace corral::api
