// zb_memory_limit: the memory limit of strategy=zb_auto, in the Zero Bubble paper's unit. K = 1
// is its ZB-1p (1F1B's peak, num_devices activations per device), K = 2 its ZB-2p. Whether K is
// enough for an order depends on num_devices, so zb_auto itself checks the lower bound.
#include <cmath>

#include "config/key_group.h"
#include "config/values.h"

namespace ppemu::detail {
namespace {

constexpr std::string_view kKey = "zb_memory_limit";

bool owns(std::string_view key) { return key == kKey; }
bool is_prefix(std::string_view) { return false; }

Status apply(Config& c, std::string_view key, const json& v) {
  if (key != kKey) return unknown_key(key);
  return set_number(c.zb_memory_limit, key, v);
}

Status resolve(Config& c, const Limits&) {
  if (!(c.zb_memory_limit > 0) || !std::isfinite(c.zb_memory_limit))
    return Error{"zb_memory_limit must be a number > 0 (got " + show_number(c.zb_memory_limit) +
                 "); 1 is the memory of 1F1B (ZB-1p), 2 twice that (ZB-2p)"};
  return {};
}

void write(const Config& c, json& j) { j[std::string(kKey)] = c.zb_memory_limit; }

}  // namespace

extern const KeyGroup kZbAutoKeys;
const KeyGroup kZbAutoKeys = {
    {
        {"zb_memory_limit", "1",
         "zb_auto's activation memory limit per device, x num_devices x op_memory.activation (1 = ZB-1p, 2 = ZB-2p)"},
    },
    owns, is_prefix, apply, resolve, write};

}  // namespace ppemu::detail
