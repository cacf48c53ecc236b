#pragma once
// The projection's JSON pieces, shared by to_json (export_json.cc) and projection_json.
#include <nlohmann/json.hpp>

#include "ppemu/projection.h"

namespace ppemu {

nlohmann::json projection_json_value(const Projection& projection);
/// {weights, gradients, optimizer, activations_peak, peak} in GiB: what `devices[d].memory_gib` holds.
nlohmann::json device_memory_gib(const DeviceProjection& device);

}  // namespace ppemu
