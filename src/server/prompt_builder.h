// Building the prompt text of a request the way Ollama does (§1.2, §1.3,
// §8.5): raw prompts verbatim; fill-in-the-middle with .Prompt/.Suffix; a
// template override executed directly; otherwise the model's template over
// [system] + Modelfile MESSAGEs + the request's messages, dropping the
// oldest messages to fit num_ctx (chat_prompt). Also the token ids of the
// result (BOS as the vocabulary says, special tokens parsed, a doubled
// leading BOS removed) and the conversion of API messages/tools to the
// template's types.
#pragma once

#include <string>
#include <vector>

#include "api/types.h"
#include "server/model_catalog.h"
#include "template/prompt_data.h"
#include "tokenizer/tokenizer.h"

namespace corral::server {

struct BuiltPrompt {
  std::string text;
  std::vector<std::int32_t> tokens;
  std::size_t image_count = 0;
};

tmpl::Message to_template_message(const api::Message& m);
std::vector<tmpl::Tool> to_template_tools(const api::Json& tools);

// Tokenizes a rendered prompt.
std::vector<std::int32_t> tokenize_prompt(const tokenizer::Tokenizer& tok, const std::string& text);

// /api/generate. `think` is the effective setting.
BuiltPrompt build_generate_prompt(const ResolvedModel& m, const api::GenerateRequest& r,
                                  const tokenizer::Tokenizer& tok, std::int64_t num_ctx, const api::Think& think);

// /api/chat (and the OpenAI chat route).
BuiltPrompt build_chat_prompt(const ResolvedModel& m, const std::vector<api::Message>& messages,
                              const api::Json& tools, const tokenizer::Tokenizer& tok, std::int64_t num_ctx,
                              bool truncate, const api::Think& think);

}  // namespace corral::server
