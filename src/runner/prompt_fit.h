// How a prompt is fitted into a context window, as Ollama does: a prompt that
// does not fit keeps its first num_keep tokens and loses the ones right after
// them so that it fits in n_ctx - max((n_ctx - num_keep) / 2, 1) tokens.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace corral::runner {

// The prompt to evaluate, truncated when needed. Throws Error with Ollama's
// message when truncation is not allowed and the prompt does not fit.
std::vector<std::int32_t> fit_prompt(std::span<const std::int32_t> prompt, std::int64_t n_ctx, int num_keep,
                                     bool allow_truncate);

// Length of the common prefix of two token sequences.
std::size_t common_prefix(std::span<const std::int32_t> a, std::span<const std::int32_t> b);

}  // namespace corral::runner
