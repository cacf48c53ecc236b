#pragma once
// What DualPipe and DualPipeV share: the eight phases of DeepSeek's step() (deepseek-ai/DualPipe
// `dualpipe.py`, `dualpipev.py`) -- the two differ only in which stages and microbatches a rank's
// two phases stand for and in how many ranks line up along one direction -- and the conditions
// under which the README's bubble form is exact.
#include <string>
#include <vector>

#include "ppemu/schedule.h"
#include "strategies/common.h"

namespace ppemu::detail {

/// One rank as the phases see it.
///  - `ranks` (N) ranks line up along one direction: p/2 for DualPipe (each half of the ranks),
///    p for DualPipeV; `index` (k, 0..N-1) counts from the rank where phase 0 enters
///    (DualPipe's half_rank, DualPipeV's rank). k = N-1 is DualPipe's middle rank / DualPipeV's last.
///  - `chunks` (M) microbatches run through each phase: m/2 for DualPipe, m for DualPipeV.
///  - phase q runs stage `stage[q]` on microbatches first_mb[q] .. first_mb[q]+M-1, forwards and
///    backwards each in that (FIFO) order.
struct DualPipeRank {
  int ranks = 1;
  int index = 0;
  int chunks = 2;
  int stage[2] = {0, 0};
  int first_mb[2] = {0, 0};
};

/// The rank's op list. Phase by phase, with n = N-k-1:
///  1. F0 x 2n   2. (F0 F1) x (k+1)   3. (B1 W F1) x n, backward split ("zero bubble")
///  4. (OV(F0, BW1) OV(F1, BW0)) x (M-2N+k+1), the first F0 / BW1 run apart when k = N-1
///  5. (BW1 OV(F1, BW0)) x n   6. (B1 B0) x (k+1), split from the middle on: before B1 of
///     iteration (k+1)/2 when k is odd, before its B0 when k is even   7. (W B0) x n, B0 split
///  8. W x (k+1). Every W runs the oldest split backward still waiting for it (WeightGradStore).
/// Requires M >= 2N (both references assert it), so phase 4 runs at least k+1 times.
std::vector<Action> dualpipe_phases(const DualPipeRank& rank);

/// The README's bubble (PP/2-1)(F&B + B - 3W) (B = full backward) is the largest device idle time
/// of our emulation only when the split backward mirrors the forward: F = input backward B,
/// W <= F, full backward = B + W; and the overlapped unit lies between perfect overlap and none,
/// Bf <= F&B <= F + Bf. The form is the idle time of rank k = N-1, which runs the most overlapped
/// units; only while a unit is no slower than its halves apart is that rank the least busy.
/// Found by emulating p = 1..8, m = 2p..5p with 144 sets of (F, B, W, Bf, F&B); the tests in
/// tests/core/dualpipe*_test.cc check grids of it.
bool readme_times_hold(const UniformTimes& u);
bool overlap_between_perfect_and_none(const UniformTimes& u);
inline const char* readme_times_text() { return "F equals the input backward B; W <= F; the full backward Bf = B + W"; }
inline const char* overlap_text() { return "Bf <= F&B <= F + Bf (overlap neither better than perfect nor worse than none)"; }

}  // namespace ppemu::detail
