// The tables of `corral list` (NAME ID SIZE MODIFIED) and `corral ps`
// (NAME ID SIZE PROCESSOR CONTEXT UNTIL), optionally filtered by a
// case-insensitive name prefix. `now` makes the relative times testable.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "api/types.h"

namespace corral::cli {

std::string render_model_list(const std::vector<api::ListModel>& models, const std::string& prefix,
                              std::chrono::system_clock::time_point now);
std::string render_process_list(const std::vector<api::ProcessModel>& models, const std::string& prefix,
                                std::chrono::system_clock::time_point now);

// "100% CPU", "100% GPU", "48%/52% CPU/GPU" or "Unknown".
std::string processor_text(std::int64_t size, std::int64_t size_vram);

}  // namespace corral::cli
