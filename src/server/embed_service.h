// Running embedding requests (see embed_service.cpp).
#pragma once

#include <httplib.h>

#include "api/types.h"
#include "server/server_context.h"

namespace corral::server {

// /api/embed semantics (normalised vectors, `dimensions`, truncation).
api::EmbedResponse run_embed(ServerContext& ctx, const httplib::Request& http_req, const api::EmbedRequest& r);
// /api/embeddings semantics (one raw vector; errors are 500).
api::EmbeddingResponse run_legacy_embedding(ServerContext& ctx, const httplib::Request& http_req,
                                            const api::EmbeddingRequest& r);

}  // namespace corral::server
