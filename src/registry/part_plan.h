// How a blob download is cut into parts, and whether the part state found
// on disk (Ollama's "-partial-N" files, ours or Ollama's own) describes a
// download that can be resumed: parts numbered 0..k-1 that tile [0, total)
// in order, each with 0 <= completed <= size.
#pragma once

#include <cstdint>
#include <vector>

#include "store/store.h"

namespace corral::registry {

// Part size for a blob: one part below `parallel_threshold`, else
// `requested` when > 0, else total/32 clamped to [64 MiB, 256 MiB].
std::int64_t choose_part_size(std::int64_t total, std::int64_t parallel_threshold, std::int64_t requested);

// Parts of `part_size` (the last one shorter) covering [0, total); none for 0.
std::vector<store::PartialPart> plan_parts(std::int64_t total, std::int64_t part_size);

// True when `parts` (sorted by n) tile [0, total) as described above.
bool parts_tile(const std::vector<store::PartialPart>& parts, std::int64_t total);

// Bytes already present according to the parts.
std::int64_t completed_bytes(const std::vector<store::PartialPart>& parts);

}  // namespace corral::registry
