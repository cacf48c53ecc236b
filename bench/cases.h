#pragma once
// The runs the native benchmarks time (bench/core_bench.cc, bench/cold_bench.cc): 8 x 4096 is the
// size the original Python emulator needs 20 s for; the last four make about 1M ops (dualpipe_v
// about 266K, two stages of a V per device).
#include "ppemu/config.h"

namespace ppemu::bench {

struct Case {
  const char* strategy;
  int devices, stages, batches;
};

inline constexpr Case kCases[] = {
    {"1f1b", 8, 8, 4096},          {"interleave", 8, 16, 4096},  {"1f1b", 64, 64, 4096},
    {"interleave", 64, 128, 4096}, {"1f1b", 64, 64, 8192},       {"interleave", 64, 256, 2048},
    {"dualpipe_v", 32, 64, 4096},
};

inline Config config_of(const Case& c) {
  Config config;
  config.strategy = c.strategy;
  config.num_devices = c.devices;
  config.num_stages = c.stages;
  config.num_batches = c.batches;
  return config;
}

}  // namespace ppemu::bench
