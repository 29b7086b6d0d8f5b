// The truncation and scaling stages of the sampler chain, each following
// llama.cpp's sampler of the same name (src/llama-sampling.cpp) with
// min_keep = 0, as llama-server runs them for Ollama; ties go to the lower
// token id. All are no-ops on an empty list.
#pragma once

#include "sample/candidates.h"

namespace corral::sample {

// Locally typical sampling: keeps the tokens whose surprise -log p is closest
// to the entropy, in that order, until their mass exceeds typical_p.
// No-op when typical_p >= 1. Leaves the list unsorted.
void apply_typical(Candidates& c, float typical_p);

// Nucleus: keeps the most likely tokens until their mass reaches top_p
// (at least one). No-op when top_p >= 1. A long unsorted list (the whole
// vocabulary) keeps its order and is not sorted; a short one comes back sorted.
void apply_top_p(Candidates& c, float top_p);

// Keeps tokens with logit >= max logit + ln(min_p), i.e. p >= min_p * p_max;
// keeps only the best token when min_p > 1. No-op when min_p <= 0. Keeps order.
void apply_min_p(Candidates& c, float min_p);

// Divides every logit by temperature (> 0).
void apply_temperature(Candidates& c, float temperature);

}  // namespace corral::sample
