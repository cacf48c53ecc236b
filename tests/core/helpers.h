#pragma once
// One-line helpers so each test reads as "config in, numbers out".
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>

#include "ppemu/ascii.h"
#include "ppemu/simulate.h"

namespace ppemu::test {

/// A number as key=value text that reads back as the same double.
inline std::string fmt(double x) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

/// A config from key=value strings on top of the defaults; fails the test on a bad key.
inline Config config_of(std::initializer_list<std::string> assignments) {
  Config c;
  for (const auto& a : assignments) {
    Status st = apply_assignment(c, a);
    INFO(a);
    REQUIRE(st.ok());
  }
  return c;
}

/// Simulates and requires success.
inline Run run_of(const Config& c) {
  Result<Run> r = simulate(c);
  INFO(r.error());
  REQUIRE(r.ok());
  return std::move(r).value();
}

inline Run run_of(std::initializer_list<std::string> assignments) { return run_of(config_of(assignments)); }

/// `strategy` on p devices, `stages` stages and m microbatches, then the `extra` key=value overrides.
inline Run sized_run(const std::string& strategy, int p, int stages, int m, std::initializer_list<std::string> extra = {}) {
  Config c = config_of({"strategy=" + strategy, "num_devices=" + std::to_string(p), "num_stages=" + std::to_string(stages),
                        "num_batches=" + std::to_string(m)});
  for (const auto& a : extra) {
    INFO(a);
    REQUIRE(apply_assignment(c, a).ok());
  }
  return run_of(c);
}

/// The most any device idles (makespan - busy): what DualPipe's README calls the bubble.
inline double max_idle(const Run& r) {
  double idle = 0;
  for (const DeviceMetrics& d : r.metrics.devices) idle = std::max(idle, d.idle);
  return idle;
}

/// The error message of a config that must fail.
inline std::string error_of(std::initializer_list<std::string> assignments) {
  Config c;
  for (const auto& a : assignments) {
    Status st = apply_assignment(c, a);
    if (!st.ok()) return st.error();
  }
  Result<Run> r = simulate(c);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace ppemu::test
