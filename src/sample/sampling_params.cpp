// Validation of SamplingParams: rejects values no sampler stage can use.
#include "sample/sampling_params.h"

#include "util/error.h"

#include <cmath>

namespace corral::sample {

namespace {

void require_finite(float value, const char* name) {
  if (!std::isfinite(value)) fail("sampling option {}: {} is not a finite number", name, value);
}

}  // namespace

void validate(const SamplingParams& p) {
  require_finite(p.temperature, "temperature");
  require_finite(p.top_p, "top_p");
  require_finite(p.min_p, "min_p");
  require_finite(p.typical_p, "typical_p");
  require_finite(p.repeat_penalty, "repeat_penalty");
  require_finite(p.presence_penalty, "presence_penalty");
  require_finite(p.frequency_penalty, "frequency_penalty");
  if (p.repeat_penalty <= 0.0f) {
    fail("sampling option repeat_penalty: {} must be greater than 0 (1 disables it)", p.repeat_penalty);
  }
  if (p.repeat_last_n < -1) {
    fail("sampling option repeat_last_n: {} must be -1 (whole context), 0 (disabled) or positive", p.repeat_last_n);
  }
}

}  // namespace corral::sample
