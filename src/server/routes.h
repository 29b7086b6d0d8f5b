// Route registration, one function per area (each in its own routes_*.cpp).
#pragma once

namespace httplib {
class Server;
}

namespace corral::server {

struct ServerContext;

// The version /api/version reports: the Ollama release whose API corral
// implements (clients enable features by comparing it).
inline constexpr const char* kApiVersion = "0.33.0";

void register_basic_routes(httplib::Server& http, ServerContext& ctx);     // /, /api/version
void register_model_routes(httplib::Server& http, ServerContext& ctx);     // tags, show, copy, delete, ps
void register_generate_routes(httplib::Server& http, ServerContext& ctx);  // /api/generate
void register_chat_routes(httplib::Server& http, ServerContext& ctx);      // /api/chat
void register_embed_routes(httplib::Server& http, ServerContext& ctx);     // /api/embed, /api/embeddings
void register_create_routes(httplib::Server& http, ServerContext& ctx);    // /api/create, /api/blobs
void register_registry_routes(httplib::Server& http, ServerContext& ctx);  // /api/pull, /api/push
void register_openai_routes(httplib::Server& http, ServerContext& ctx);    // /v1/*
void register_tokenize_routes(httplib::Server& http, ServerContext& ctx);  // /api/tokenize, /api/detokenize
void register_metrics_routes(httplib::Server& http, ServerContext& ctx);   // /metrics

}  // namespace corral::server
