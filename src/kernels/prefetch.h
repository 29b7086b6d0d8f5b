// How far ahead the one-row-at-a-time token-generation kernels (gemv_*)
// prefetch the weights they stream. The hardware prefetchers stop at 4 KiB page
// boundaries and restart at every matmul; a software prefetch at least a page
// ahead keeps the stream at memory speed (tinyllama Q4_0 generation 25 -> 39
// tokens/s here, docs/PERFORMANCE.md). Kernels that stream R rows at once
// prefetch R rows further at the same offset instead, one row group ahead.
#pragma once

#include <cstddef>

namespace corral::kernels {

inline constexpr std::size_t kGemvPrefetchBytes = 4096;

}  // namespace corral::kernels
