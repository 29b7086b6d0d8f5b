// JSON <-> request types. parse_* read a request body's JSON with Ollama's
// defaults (stream true), legacy aliases ("name" for "model") and error
// texts (StatusError 400); to_json writes what a client sends.
#pragma once

#include "api/types.h"

namespace corral::api {

GenerateRequest parse_generate_request(const Json& j);
ChatRequest parse_chat_request(const Json& j);
EmbedRequest parse_embed_request(const Json& j);
EmbeddingRequest parse_embedding_request(const Json& j);
ShowRequest parse_show_request(const Json& j);
CopyRequest parse_copy_request(const Json& j);
DeleteRequest parse_delete_request(const Json& j);
PullRequest parse_pull_request(const Json& j, const char* go_type = "PullRequest");
TokenizeRequest parse_tokenize_request(const Json& j);
DetokenizeRequest parse_detokenize_request(const Json& j);

// Pieces shared with the OpenAI translation.
Message parse_message(const Json& j);
std::vector<Message> parse_messages(const Json& j);
ToolCall parse_tool_call(const Json& j);
// `format`: null or "" -> none, "json", or an object (a JSON Schema).
Format parse_format(const Json& j);
// `think`: true/false or "low" | "medium" | "high" | "max".
Think parse_think(const Json& j);
// Checks that each image is valid standard base64 (Go's []byte rule).
void check_images(const std::vector<std::string>& images);

Json to_json(const GenerateRequest& r);
Json to_json(const ChatRequest& r);
Json to_json(const EmbedRequest& r);
Json to_json(const ShowRequest& r);
Json to_json(const CopyRequest& r);
Json to_json(const DeleteRequest& r);
Json to_json(const PullRequest& r);
Json to_json(const Message& m);
Json to_json(const ToolCall& c);
Json to_json(const Format& f);  // null when none
Json to_json(const Think& t);   // null when unset

}  // namespace corral::api
