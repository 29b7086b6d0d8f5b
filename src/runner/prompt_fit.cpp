// Prompt truncation and prefix matching.
#include "runner/prompt_fit.h"

#include <algorithm>

#include "util/error.h"
#include "util/log.h"

namespace corral::runner {

std::vector<std::int32_t> fit_prompt(std::span<const std::int32_t> prompt, std::int64_t n_ctx, int num_keep,
                                     bool allow_truncate) {
  const auto n = static_cast<std::int64_t>(prompt.size());
  if (n < n_ctx) return {prompt.begin(), prompt.end()};
  if (!allow_truncate)
    fail("the prompt is longer than the context length currently available to the model; shorten the prompt, "
         "adjust the context length in settings, or use a model with a longer context length");
  const std::int64_t keep = std::clamp<std::int64_t>(num_keep, 0, n_ctx - 2);
  const std::int64_t limit = n_ctx - std::max<std::int64_t>((n_ctx - keep) / 2, 1);
  const std::int64_t tail = std::max<std::int64_t>(limit - keep, 1);
  std::vector<std::int32_t> out(prompt.begin(), prompt.begin() + keep);
  out.insert(out.end(), prompt.end() - tail, prompt.end());
  log::info("truncating input prompt limit={} prompt={} keep={} new={}", n_ctx, n, keep, out.size());
  return out;
}

std::size_t common_prefix(std::span<const std::int32_t> a, std::span<const std::int32_t> b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

}  // namespace corral::runner
