#pragma once
// The constraint every V-shape strategy shares: device r holds stages r and 2p-1-r.
#include <string>

#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::detail {

/// Fails unless num_stages == 2 x num_devices, suggesting what would work.
inline Status require_v_shape(const Config& c, const char* strategy) {
  if (c.num_stages == 2 * c.num_devices) return {};
  return Error{std::string(strategy) + " needs num_stages = 2 x num_devices for its V-shape placement (got " +
               std::to_string(c.num_stages) + " stages on " + std::to_string(c.num_devices) +
               " devices); try num_stages=" + std::to_string(2 * c.num_devices)};
}

}  // namespace ppemu::detail
