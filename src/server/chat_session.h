// ChatSession: a chat completion shared by /api/chat and
// /v1/chat/completions: checks (capabilities, think, tools), the lease on
// the model, the rendered prompt, and running it into deltas of content,
// thinking, tool calls and logprobs with the final reason and metrics.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "server/generation.h"

namespace corral::server {

struct ChatInput {
  std::string model_name;
  std::vector<api::Message> messages;
  api::Json tools;
  api::Json options;
  api::Format format;
  api::Think think;
  std::optional<api::KeepAlive> keep_alive;
  bool truncate = true;
  bool shift = true;
  bool logprobs = false;
  int top_logprobs = 0;
};

struct ChatDelta {
  std::string content;
  std::string thinking;
  std::vector<api::ToolCall> tool_calls;
  std::vector<api::Logprob> logprobs;
  bool empty() const { return content.empty() && thinking.empty() && tool_calls.empty() && logprobs.empty(); }
};

struct ChatDone {
  std::string done_reason;
  api::Metrics metrics;
  bool had_tool_calls = false;
};

struct ChatSession {
  ResolvedModel model;
  ChatInput input;
  Generation gen;
  OutputParserConfig parser;
  std::string prompt_text;
  std::size_t image_count = 0;
  bool load_only = false;  // no messages: the model was loaded, nothing to run
  bool has_tools = false;
};

// Validates, acquires the model and renders the prompt. Throws StatusError.
std::shared_ptr<ChatSession> start_chat(ServerContext& ctx, ResolvedModel model, ChatInput input,
                                        const httplib::Request& req, Clock::time_point started);

// Generates; `emit` gets each non-empty delta and returns false to cancel.
ChatDone run_chat(ServerContext& ctx, ChatSession& s, const std::function<bool(ChatDelta&&)>& emit);

}  // namespace corral::server
