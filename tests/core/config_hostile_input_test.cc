// Config input written to break the reader (found by the fuzzers in tests/fuzz/): the error still
// reads as one short line, and the reader never crashes.
#include "helpers.h"

#include "ppemu/export.h"

using namespace ppemu;

namespace {

std::string assignment_error(const std::string& assignment) {
  Config c;
  Status st = apply_assignment(c, assignment);
  if (st.ok()) st = resolve(c);
  return st.ok() ? "" : st.error();
}

std::string json_error(const std::string& text) {
  Config c;
  Status st = apply_json(c, text);
  if (st.ok()) st = resolve(c);
  return st.ok() ? "" : st.error();
}

}  // namespace

TEST_CASE("errors quote the user's text as one line of printable characters") {
  CHECK(assignment_error(std::string("op_timer\x86\x01\x02\0p`", 14)) ==
        "expected key=value, got 'op_timer????p`' (e.g. num_devices=4)");
  CHECK(assignment_error("num_devices=a\nb") == "num_devices must be a whole number (got a?b)");
  CHECK(assignment_error("strategy=x\ty") == "unknown strategy 'x?y' (--list-strategies lists them)");
  CHECK(assignment_error("num_s\x12" "ages=6") == "unknown config key 'num_s?ages'; did you mean 'num_stages'?");
  CHECK(json_error("{\"op_times.backward.3\x7f\": 1}") ==
        "in op_times.backward, '3?' is not a stage number (0, 1, 2, ...)");
  CHECK(json_error(R"({"op_times.forward": {"\n3": "x"}})") == "op_times.forward.?3 must be a number (got x)");
  // UTF-8 is replaced too: the quote is cut at 40 bytes, which could split a character.
  CHECK(assignment_error("strategy=\xc3\xa9t\xc3\xa9") == "unknown strategy '??t?\?' (--list-strategies lists them)");
}

TEST_CASE("errors quote at most 40 characters of the user's text") {
  const std::string key(100, 'k');
  CHECK(assignment_error(key + "=1").rfind("unknown config key '" + std::string(37, 'k') + "...'; known keys: ", 0) == 0);
  CHECK(assignment_error("strategy=" + std::string(41, 's')) ==
        "unknown strategy '" + std::string(37, 's') + "...' (--list-strategies lists them)");
  CHECK(assignment_error("strategy=" + std::string(40, 's')) ==
        "unknown strategy '" + std::string(40, 's') + "' (--list-strategies lists them)");
}

TEST_CASE("a value nested a million deep is refused, not a stack overflow") {
  // Valid JSON that nlohmann's iterative parser reads; quoting it in the error once recursed per level.
  const size_t depth = 1000000;
  const std::string nested = std::string(depth, '[') + std::string(depth, ']');
  CHECK(json_error("{\"strategy\": " + nested + "}") == "strategy must be a strategy name (got [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...)");
  CHECK(assignment_error("num_devices=" + nested) == "num_devices must be a whole number (got [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...)");
  CHECK(assignment_error("op_times.forward=[" + nested + "]") == "op_times.forward[0] must be a number (got [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...)");
  CHECK(json_error("{\"op_times\": " + nested + "}") == "op_times must be an object of keys (got [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...)");
}

TEST_CASE("a short list or object is quoted whole") {
  CHECK(assignment_error("strategy=[1, {\"a\": [2, null]}]") == "strategy must be a strategy name (got [1,{\"a\":[2,null]}])");
  CHECK(assignment_error("strategy={}") == "strategy must be a strategy name (got {})");
}

TEST_CASE("nonzero op times and p2p_latency outside 1e-12..1e12 are refused") {
  // At 1e308 the makespan was inf and bubble_ratio NaN (found by the whole-run fuzzer); at 1e-310
  // the SVG's pixels per time unit were inf, and at 5e-324 its axis ticks never ended.
  const std::string why = " so that sums over a run and its drawings stay finite";
  CHECK(assignment_error("op_times.forward=1e308") == "op_times.forward must be from 1e-12 to 1e+12 (got 1e+308)" + why);
  CHECK(assignment_error("op_times.backward=5e-324") == "op_times.backward must be from 1e-12 to 1e+12 (got 5e-324)" + why);
  CHECK(assignment_error("p2p_latency=1e13") == "p2p_latency must be 0 or from 1e-12 to 1e+12 (got 1e+13)" + why);
  CHECK(assignment_error("op_times.backward_W=[1,0,1,2e12]") == "op_times.backward_W.3 must be 0 or from 1e-12 to 1e+12 (got 2e+12)" + why);
  CHECK(assignment_error("op_times.backward_W=1e-13") == "op_times.backward_W must be 0 or from 1e-12 to 1e+12 (got 1e-13)" + why);
  CHECK(assignment_error("op_times.overlapped_forward_backward=1e300") ==
        "op_times.overlapped_forward_backward must be from 1e-12 to 1e+12 (got 1e+300)" + why);
  // The bounds themselves run: the same figures as in units of 1, scaled (powers of ten times
  // small integers, exact or within one rounding in a double).
  const Run unit = test::run_of({"op_times.forward=1", "op_times.backward=1", "p2p_latency=1"});
  for (double scale : {1e12, 1e-12}) {
    const std::string x = scale > 1 ? "1e12" : "1e-12";
    const Run r = test::run_of({"op_times.forward=" + x, "op_times.backward=" + x, "p2p_latency=" + x});
    CHECK(r.metrics.makespan == Approx(unit.metrics.makespan * scale));
    CHECK(r.metrics.bubble_ratio == Approx(unit.metrics.bubble_ratio));
    CHECK(to_svg(r).find("nan") == std::string::npos);
  }
}

TEST_CASE("a per-stage key beyond the most stages a run may have is refused before storing the stages below it") {
  // op_times.forward.9999999=1 once stored ten million times: 80 MB per key, 785 MB RSS and 3.8 s
  // for five such keys on one command line (or in a page link).
  CHECK(assignment_error("op_times.forward.9999999=1") ==
        "op_times.forward.9999999 names stage 9999999, but a run has at most 32768 stages (0..32767)");
  CHECK(json_error(R"({"op_times": {"backward_W": {"32768": 1}}})") ==
        "op_times.backward_W.32768 names stage 32768, but a run has at most 32768 stages (0..32767)");
  CHECK(assignment_error("op_times.forward.1e300=1") ==
        "op_times.forward.1e300 names stage 1e+300, but a run has at most 32768 stages (0..32767)");
  // The last stage number is still taken (and then checked against num_stages).
  CHECK(assignment_error("op_times.forward.32767=1") == "op_times.forward gives 32768 stage times but num_stages is 4 (stages 0..3)");
}

TEST_CASE("closest_match skips candidates by length without changing what it suggests") {
  // A word may differ from a suggestion by max(2, length / 3) edits; a length difference of more
  // cannot be bridged, so those candidates are skipped (a 1 MB strategy name took 1.3 s before).
  const std::vector<std::string> names = {"ab", "abcdefghi"};
  CHECK(closest_match("abcdef", names).empty());  // 3 insertions or 4 deletions; 6 / 3 = 2 allowed
  CHECK(closest_match("abcdefg", names) == "abcdefghi");  // 2 insertions, allowed 2: yes
  CHECK(closest_match("abcd", names) == "ab");            // 2 deletions: yes
  CHECK(closest_match("abcde", names).empty());           // 3 from either
  CHECK(closest_match(std::string(1000000, 'a'), strategy_names()).empty());
}

TEST_CASE("op_memory sizes above 1e18 are refused: a device's sum would overflow") {
  // op_memory.activation=1e308 made peak_memory inf (found by the whole-run fuzzer's memory check).
  CHECK(assignment_error("op_memory.activation=1e308") ==
        "op_memory.activation must be at most 1e+18 (got 1e+308) so that a device's memory stays a finite number");
  CHECK(assignment_error("op_memory.static=[0,0,0,2e18]") ==
        "op_memory.static.3 must be at most 1e+18 (got 2e+18) so that a device's memory stays a finite number");
  // after_B is at most the activation, so the activation's bound covers it.
  CHECK(assignment_error("op_memory.after_B=1e300") ==
        "op_memory.after_B (1e+300) is more than op_memory.activation (1): B can only free part of what F allocated; give at most 1");
  // The bound itself: 1f1b p=4 m=8 holds 4 activations on device 0, beside its static memory.
  const Run r = test::run_of({"op_memory.activation=1e18", "op_memory.static=1e18"});
  CHECK(r.metrics.devices[0].peak_memory == 5e18);
}
