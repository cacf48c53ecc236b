#pragma once
// The achieved fractions of peak the projection assumes when gpu.* does not say. They were tuned
// on the validation table's tuning rows (bench/validation/runs.json, README "Projection"); the
// other rows check them.
namespace ppemu::projection {

constexpr double kDefaultMatmulEfficiency = 0.7;
constexpr double kDefaultHbmEfficiency = 0.7;
constexpr double kDefaultCommEfficiency = 0.7;

}  // namespace ppemu::projection
