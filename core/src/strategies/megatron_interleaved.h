#pragma once
// Megatron's interleaved (virtual pipeline) order, shared by interleave and its overlapped variant.
#include <utility>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/schedule.h"

namespace ppemu::detail {

/// Megatron's get_schedule_table: (microbatch, chunk) of each virtual microbatch k, for m
/// microbatches, v chunks and group size N: each group of N microbatches (the last takes the
/// rest) runs through chunk 0, then chunk 1, ...
std::vector<std::pair<int, int>> megatron_schedule_table(int m, int v, int group);

/// Rank r: min(2(p-r-1) + (v-1)N + extra_warmup, m*v) warm-up forwards, then steady steps of
/// one forward and the next backward (one OV unit when overlap_steady), then the remaining
/// backwards. The k-th backward runs chunk v-1-c of table entry k (Megatron's FIFO per chunk).
Schedule megatron_interleaved(const Config& c, int extra_warmup, bool overlap_steady);

}  // namespace ppemu::detail
