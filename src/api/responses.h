// JSON <-> response types, in Go's field order with Ollama's omitempty
// rules (metrics vanish when zero; "response" and "done" are always there).
// to_json is what the server writes; parse_* is what a client reads (lenient:
// missing fields keep their defaults).
#pragma once

#include "api/types.h"

namespace corral::api {

Json to_json(const Metrics& m, Json& into);  // appends the non-zero fields; returns into
Json to_json(const Logprob& l);
Json to_json(const GenerateResponse& r);
Json to_json(const ChatResponse& r);
Json to_json(const EmbedResponse& r);
Json to_json(const EmbeddingResponse& r);
Json to_json(const ModelDetails& d);
Json to_json(const ShowResponse& r);
Json to_json(const ProgressResponse& r);
Json to_json(const ListModel& m);
Json to_json(const std::vector<ListModel>& models);      // {"models":[...]}
Json to_json(const ProcessModel& m);
Json to_json(const std::vector<ProcessModel>& models);   // {"models":[...]}
Json to_json(const TokenizeResponse& r);
Json to_json(const DetokenizeResponse& r);
Json error_json(const std::string& message);             // {"error": message}

Metrics parse_metrics(const Json& j);
GenerateResponse parse_generate_response(const Json& j);
ChatResponse parse_chat_response(const Json& j);
EmbedResponse parse_embed_response(const Json& j);
ModelDetails parse_model_details(const Json& j);
ShowResponse parse_show_response(const Json& j);
ProgressResponse parse_progress_response(const Json& j);
std::vector<ListModel> parse_list_response(const Json& j);
std::vector<ProcessModel> parse_process_response(const Json& j);
// The "error" text of a response line, "" when it has none.
std::string response_error(const Json& j);

}  // namespace corral::api
