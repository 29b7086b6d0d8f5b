// The `--verbose` statistics block Ollama prints (to stderr) after each
// answer: labels padded to 22 columns, Go duration strings, rates with two
// decimals; lines whose value is zero are left out.
//   total duration:       1.234567s
//   load duration:        12.3ms
//   prompt eval count:    26 token(s)
//   prompt eval duration: 123.456ms
//   prompt eval rate:     210.61 tokens/s
//   eval count:           290 token(s)
//   eval duration:        4.4s
//   eval rate:            65.91 tokens/s
#pragma once

#include <string>

#include "api/types.h"

namespace corral::cli {

std::string format_stats_block(const api::Metrics& m);

}  // namespace corral::cli
