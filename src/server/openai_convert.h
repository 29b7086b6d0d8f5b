// The OpenAI-compatible API mapped onto the native one, as Ollama maps it
// (§1.15): request fields to chat/generate inputs and options (temperature
// and top_p default to 1.0, max_tokens -> num_predict, response_format ->
// format, reasoning_effort -> think), messages with content parts and data
// URL images, tool calls with JSON-string arguments, finish reasons, ids,
// and the error object {"error":{"message","type","param","code"}}.
#pragma once

#include <string>
#include <vector>

#include "api/types.h"
#include "server/chat_session.h"

namespace corral::server {

struct OpenAIChatRequest {
  ChatInput input;
  bool stream = false;
  bool include_usage = false;
  bool debug_render_only = false;
};

struct OpenAICompletionRequest {
  api::GenerateRequest generate;
  bool stream = false;
  bool include_usage = false;
};

struct OpenAIEmbeddingRequest {
  std::string model;
  std::vector<std::string> input;
  int dimensions = 0;
  bool base64 = false;
};

// All throw StatusError(400) with OpenAI-style texts for bad input.
OpenAIChatRequest parse_openai_chat(const api::Json& j);
OpenAICompletionRequest parse_openai_completion(const api::Json& j);
OpenAIEmbeddingRequest parse_openai_embedding(const api::Json& j);

// "chatcmpl-123" / "cmpl-123" (Ollama's small random space).
std::string openai_id(const char* prefix);

api::Json openai_tool_call(const api::ToolCall& c, int index);
// "stop" | "length" | "tool_calls".
std::string finish_reason(const std::string& done_reason, bool had_tool_calls);
api::Json openai_usage(const api::Metrics& m);
api::Json openai_logprobs(const std::vector<api::Logprob>& l);

// The error body and type for an HTTP status.
api::Json openai_error(int status, const std::string& message);

}  // namespace corral::server
