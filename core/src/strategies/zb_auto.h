#pragma once
// zb_auto's search, open to tests: the heuristic runs once per combination of its three binary
// choices and keeps the best, as the authors' scheduler does; tests check the choice, not only
// the order it leads to.
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"
#include "ppemu/schedule.h"

namespace ppemu::detail {

struct ZbAutoTrial {
  bool allow_bubble_before_first_b = false;
  bool prioritize_b = false;
  bool no_bubble_greedy = false;
  /// A run of ppemu's fallback (only when none of the authors' eight holds up): its warm-up keeps
  /// each stage behind the one before, and memory at the limit forgives rounding.
  bool fallback = false;
  /// The authors' objective: the longest device span, first F start to last W end.
  double longest_span = 0;
  Schedule schedule;
};

struct ZbAutoSearch {
  /// The consistent runs, in the authors' grid order (True before False, outermost first): of
  /// their eight, or of the fallback's eight when none of theirs is.
  std::vector<ZbAutoTrial> trials;
  int chosen = 0;                   ///< the first trial with the smallest longest_span
};

/// Runs the heuristic for a resolved config (num_stages = num_devices, limit checked).
Result<ZbAutoSearch> zb_auto_search(const Config& config);

/// The smallest zb_memory_limit K with K x num_devices >= 1 in doubles: one activation per
/// device, the least any order needs (each F must fit before its W can free it).
double zb_auto_min_limit(int num_devices);

}  // namespace ppemu::detail
