#pragma once
// The projection's JSON pieces, shared by to_json (export_json.cc) and projection_json.
#include <nlohmann/json.hpp>

#include <string>

#include "ppemu/projection.h"

namespace ppemu {

nlohmann::json projection_json_value(const Projection& projection);
/// {weights, gradients, optimizer, static, activations_peak, peak} in GiB: `devices[d].memory_gib`
/// of the JSON, the same object as `projection.devices[d].memory_gib`.
nlohmann::json device_memory_gib(const DeviceProjection& device);
/// Bytes as GiB with two decimals: the summary's memory figures, in its run table and its
/// projection section alike.
std::string gib_text(double bytes);

}  // namespace ppemu
