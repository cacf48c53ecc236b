#pragma once
// One-line helpers so each test reads as "config in, numbers out".
#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>

#include "ppemu/ascii.h"
#include "ppemu/simulate.h"

namespace ppemu::test {

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
