// GenerateSession: a prompt completion shared by /api/generate and
// /v1/completions: request checks, the unload/load-only shortcuts, the
// lease, the rendered prompt, and running it into deltas (content,
// thinking, tool calls, logprobs) with the final reason, context and
// metrics.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/types.h"
#include "server/chat_session.h"
#include "server/generation.h"

namespace corral::server {

struct GenerateSession {
  enum class Outcome { run, unloaded, loaded, rendered } outcome = Outcome::run;
  ResolvedModel model;
  api::GenerateRequest req;
  Generation gen;
  OutputParserConfig parser;
  std::string prompt_text;
  std::size_t image_count = 0;
};

struct GenerateDone {
  std::string done_reason;
  std::vector<std::int32_t> context;
  api::Metrics metrics;
};

std::shared_ptr<GenerateSession> start_generate(ServerContext& ctx, api::GenerateRequest req,
                                                const httplib::Request& http_req, Clock::time_point started);

GenerateDone run_generate(ServerContext& ctx, GenerateSession& s, const std::function<bool(ChatDelta&&)>& emit);

}  // namespace corral::server
