// The ASCII timeline's size follows the makespan, so long op times could ask it for any number
// of characters (found by the whole-run fuzzer: op_times.backward=1e22 threw std::length_error).
#include "helpers.h"

#include <cmath>

using namespace ppemu;

namespace {

std::string ascii_error(std::initializer_list<std::string> assignments, double cols_per_unit) {
  const Run r = test::run_of(assignments);
  const Result<std::string> text = ascii_timeline(r.schedule, r.timeline, cols_per_unit);
  return text.ok() ? "" : text.error();
}

}  // namespace

TEST_CASE("an ASCII timeline larger than 16 MiB is refused with its size") {
  // 1f1b p=4 m=8, F=1e7, B=2: makespan (m+p-1)(F+B) = 11 x 10000002 = 110000022, 2 columns each.
  CHECK(ascii_error({"op_times.forward=1e7"}, 2) ==
        "the ASCII timeline would be 2.2e+08 columns wide on 4 rows (makespan 1.1e+08 at 2 columns per time unit), "
        "more than 16777216 characters; use --format svg, or op times in a coarser unit");
  // Widths a size_t cannot hold, or that are not numbers: refused the same way, never a throw.
  CHECK(ascii_error({"op_times.backward=1e12"}, 1e12).rfind("the ASCII timeline would be 1.1e+25 columns wide on 4 rows", 0) == 0);
  CHECK(ascii_error({}, 1e300).rfind("the ASCII timeline would be 3.3e+301 columns wide", 0) == 0);
  CHECK(ascii_error({}, std::nan("")).rfind("the ASCII timeline would be nan columns wide", 0) == 0);
}

TEST_CASE("an ASCII timeline within 16 MiB is drawn in full") {
  // F = 2^18 - 2: makespan 11 x 2^18, at 1 column per unit, on 4 rows of "dN |" + columns + "|\n".
  const Run r = test::run_of({"op_times.forward=262142"});
  const Result<std::string> text = ascii_timeline(r.schedule, r.timeline, 1);
  REQUIRE(text.ok());
  CHECK(text.value().size() == 4 * (11 * 262144 + 5 + 1));
}
