// Generation: one completion in flight for generate/chat (native and
// OpenAI): the lease on a loaded model, the prepared runner request, the
// client's connection watch, the timings, and the shared steps around them:
// effective `think`, output-parser set-up, running the completion with
// logprobs turned into API entries, final metrics, and NDJSON/SSE
// streaming through a chunked response (errors after the first byte become
// one more {"error":...} line).
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/types.h"
#include "runner/completion.h"
#include "server/disconnect_watcher.h"
#include "server/model_catalog.h"
#include "server/output_parser.h"
#include "server/scheduler.h"
#include "server/server_context.h"

namespace corral::server {

using Clock = std::chrono::steady_clock;

struct Generation {
  std::string model_name;  // as the request spelled it (responses echo it)
  std::string metrics_name;
  std::unique_ptr<Lease> lease;
  std::shared_ptr<ConnectionWatch> watch;
  std::shared_ptr<const tokenizer::Tokenizer> tokenizer;
  runner::CompletionRequest request;
  Clock::time_point started;
  Clock::time_point loaded;
};

struct TextChunk {
  std::string text;
  std::vector<api::Logprob> logprobs;
};

// The `think` a request runs with: Ollama turns thinking on for models that
// can think when the request does not say; asking a model that cannot is 400.
api::Think effective_think(const ResolvedModel& m, const api::Think& requested);

// The output parser for a model, prompt and request.
OutputParserConfig parser_config(const ResolvedModel& m, const api::Think& think, const std::string& prompt,
                                 const api::Json& tools);

// Options of the request over the model's (wrong types: 500, Ollama's texts).
api::ModelOptions merged_options(const ResolvedModel& m, const api::Json& request_options);

// Acquires a lease (the model loads if needed); the connection watch cancels
// the wait when the client leaves.
void acquire(ServerContext& ctx, Generation& g, const ResolvedModel& m, const api::ModelOptions& options,
             const api::Json& request_options, const std::optional<api::KeepAlive>& keep_alive,
             const httplib::Request& req);

// Fills g.request (sampling, num_keep, shift/truncate, logprobs) and checks
// that the prompt fits (400 with Ollama's text when it may not be truncated).
void prepare_completion(Generation& g, std::vector<std::int32_t> prompt, const api::ModelOptions& options,
                        bool truncate, bool shift, bool logprobs, int top_logprobs);

// Runs the completion; on_chunk returning false cancels it. Throws on error
// or cancellation. Records metrics.
runner::CompletionResult run_generation(ServerContext& ctx, Generation& g,
                                        const std::function<bool(TextChunk&&)>& on_chunk);

api::Metrics final_metrics(const Generation& g, const runner::CompletionResult& r);

// Streams lines produced by `produce` as a chunked response of `content_type`.
// `produce(write)` runs on the connection's thread after the headers are
// sent; write(bytes) returns false once the client is gone. An exception
// escaping produce is written with `error_line(message)`.
void stream_response(httplib::Response& res, const char* content_type,
                     std::function<void(const std::function<bool(const std::string&)>& write)> produce,
                     std::function<std::string(const std::string& message)> error_line);

}  // namespace corral::server
