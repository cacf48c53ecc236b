// Keys the original PP-Emulation config has and ppemu has no use for: accepted with any value so
// its conf/config.yaml loads as it is, and recorded so the host can say once that they are ignored.
#include <algorithm>

#include "config/key_group.h"
#include "config/values.h"

namespace ppemu::detail {
namespace {

// visualization_port: the port of the original project's Dash server (its conf/config.yaml
// writes 8050). The page here is a static site (scripts/serve picks its own port).
bool owns(std::string_view key) { return key == "visualization_port"; }

bool is_prefix(std::string_view) { return false; }

Status apply(Config& c, std::string_view key, const json&) {
  if (std::find(c.ignored_keys.begin(), c.ignored_keys.end(), key) == c.ignored_keys.end()) c.ignored_keys.emplace_back(key);
  return {};
}

void write(const Config&, json&) {}

}  // namespace

extern const KeyGroup kIgnoredKeys;
const KeyGroup kIgnoredKeys = {
    {},  // not listed among the keys (--help, did-you-mean hints, the page): they configure nothing
    owns, is_prefix, apply, nullptr, write};

}  // namespace ppemu::detail
