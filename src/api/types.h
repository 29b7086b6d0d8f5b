// The request and response types of corral's HTTP API (Ollama's api
// package): plain structs shared by the server (which parses requests and
// writes responses) and the CLI (which writes requests and parses
// responses). JSON conversion lives in requests.h / responses.h.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/duration.h"
#include "api/time_format.h"
#include "store/model_ops.h"
#include "template/prompt_data.h"

namespace corral::api {

using Json = nlohmann::ordered_json;
using Think = tmpl::ThinkSetting;
using ModelDetails = store::ModelDetails;

// ---- shared pieces ---------------------------------------------------------

struct ToolCall {
  std::string id;                     // "call_xxxxxxxx" (omitted when empty)
  int index = 0;
  std::string name;
  Json arguments = Json::object();    // a JSON object, key order kept
};

struct Message {
  std::string role;
  std::string content;
  std::string thinking;
  std::vector<std::string> images;    // base64 text, as carried in JSON
  std::vector<ToolCall> tool_calls;
  std::string tool_name;
  std::string tool_call_id;
};

// `format`: none, "json", or a JSON Schema object.
struct Format {
  enum class Kind { none, json, schema } kind = Kind::none;
  Json schema;  // Kind::schema only
  bool is_set() const { return kind != Kind::none; }
};

// Final-chunk statistics; every field is omitted from JSON when zero.
struct Metrics {
  std::int64_t total_duration = 0;  // nanoseconds
  std::int64_t load_duration = 0;
  std::int64_t prompt_eval_count = 0;
  std::int64_t prompt_eval_duration = 0;
  std::int64_t eval_count = 0;
  std::int64_t eval_duration = 0;
};

struct TokenLogprob {
  std::string token;
  double logprob = 0;
  std::vector<int> bytes;
};

struct Logprob {
  TokenLogprob chosen;
  std::vector<TokenLogprob> top_logprobs;
};

// ---- /api/generate ----------------------------------------------------------

struct GenerateRequest {
  std::string model;
  std::string prompt;
  std::string suffix;
  std::string system;
  std::optional<std::string> template_text;           // "template"
  std::optional<std::vector<std::int32_t>> context;
  bool stream = true;
  bool raw = false;
  Format format;
  std::optional<KeepAlive> keep_alive;
  std::vector<std::string> images;                    // base64 (validated when parsed)
  Json options;                                       // null or an object
  Think think;
  std::optional<bool> truncate;
  std::optional<bool> shift;
  bool logprobs = false;
  int top_logprobs = 0;
  bool debug_render_only = false;                     // "_debug_render_only"
};

struct GenerateResponse {
  std::string model;
  TimePoint created_at{};
  std::string response;
  std::string thinking;
  bool done = false;
  std::string done_reason;
  std::optional<std::vector<std::int32_t>> context;
  Metrics metrics;
  std::vector<ToolCall> tool_calls;
  std::optional<Json> debug_info;                     // "_debug_info"
  std::vector<Logprob> logprobs;
};

// ---- /api/chat --------------------------------------------------------------

struct ChatRequest {
  std::string model;
  std::vector<Message> messages;
  bool stream = true;
  Format format;
  std::optional<KeepAlive> keep_alive;
  Json tools;                                         // null or an array of tool definitions
  Json options;
  Think think;
  std::optional<bool> truncate;
  std::optional<bool> shift;
  bool logprobs = false;
  int top_logprobs = 0;
  bool debug_render_only = false;
};

struct ChatResponse {
  std::string model;
  TimePoint created_at{};
  Message message;
  std::string done_reason;
  std::optional<Json> debug_info;
  bool done = false;
  Metrics metrics;
  std::vector<Logprob> logprobs;
};

// ---- embeddings -------------------------------------------------------------

struct EmbedRequest {
  std::string model;
  std::vector<std::string> input;
  std::optional<bool> truncate;
  int dimensions = 0;
  std::optional<KeepAlive> keep_alive;
  Json options;
};

struct EmbedResponse {
  std::string model;
  std::vector<std::vector<float>> embeddings;
  std::int64_t total_duration = 0;
  std::int64_t load_duration = 0;
  std::int64_t prompt_eval_count = 0;
};

// Legacy /api/embeddings.
struct EmbeddingRequest {
  std::string model;
  std::string prompt;
  std::optional<KeepAlive> keep_alive;
  Json options;
};

struct EmbeddingResponse {
  std::vector<double> embedding;
};

// ---- model management ---------------------------------------------------------

struct ShowRequest {
  std::string model;  // "model" or legacy "name"
  bool verbose = false;
  std::string system;
  Json options;
};

struct TensorInfo {
  std::string name;
  std::string type;
  std::vector<std::uint64_t> shape;
};

struct ShowResponse {
  std::string license;
  std::string modelfile;
  std::string parameters;
  std::string template_text;
  std::string system;
  std::string renderer;
  std::string parser;
  ModelDetails details;
  std::vector<Message> messages;
  std::string remote_model;
  std::string remote_host;
  Json model_info = Json::object();
  Json projector_info;                 // null or an object
  std::vector<TensorInfo> tensors;
  std::vector<std::string> capabilities;
  TimePoint modified_at{};
  std::string requires_version;        // "requires"
};

struct CopyRequest {
  std::string source;
  std::string destination;
};

struct DeleteRequest {
  std::string model;  // "model" or legacy "name"
};

// /api/pull and /api/push.
struct PullRequest {
  std::string model;  // "model" or legacy "name"
  bool insecure = false;
  bool stream = true;
};

// One line of a pull/push/create progress stream.
struct ProgressResponse {
  std::string status;
  std::string digest;
  std::int64_t total = 0;
  std::int64_t completed = 0;
};

struct ListModel {
  std::string name;
  std::string model;
  std::string remote_model;
  std::string remote_host;
  TimePoint modified_at{};
  std::int64_t size = 0;
  std::string digest;
  ModelDetails details;
  std::vector<std::string> capabilities;
};

struct ProcessModel {
  std::string name;
  std::string model;
  std::int64_t size = 0;
  std::string digest;
  ModelDetails details;
  TimePoint expires_at{};
  std::int64_t size_vram = 0;
  std::int64_t context_length = 0;
};

// ---- corral extensions ----------------------------------------------------------

struct TokenizeRequest {
  std::string model;
  std::string text;  // "text" (or "content", "prompt")
  bool add_special = true;
  Json options;
  std::optional<KeepAlive> keep_alive;
};

struct TokenizeResponse {
  std::string model;
  std::vector<std::int32_t> tokens;
};

struct DetokenizeRequest {
  std::string model;
  std::vector<std::int32_t> tokens;
  Json options;
  std::optional<KeepAlive> keep_alive;
};

struct DetokenizeResponse {
  std::string model;
  std::string text;
};

}  // namespace corral::api
