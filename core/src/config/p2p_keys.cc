// p2p_mode: whether a send also holds its sender (sync) or only delays its receiver (async).
#include "config/key_group.h"
#include "config/values.h"

namespace ppemu::detail {
namespace {

bool owns(std::string_view key) { return key == "p2p_mode"; }
bool is_prefix(std::string_view) { return false; }

Status apply(Config& c, std::string_view key, const json& v) {
  std::string word;
  if (Status st = set_word(word, key, v, {"async", "sync"}); !st.ok()) return st;
  c.p2p_mode = word == "sync" ? P2pMode::Sync : P2pMode::Async;
  return {};
}

void write(const Config& c, json& j) { j["p2p_mode"] = c.p2p_mode == P2pMode::Sync ? "sync" : "async"; }

}  // namespace

extern const KeyGroup kP2pKeys;
const KeyGroup kP2pKeys = {
    {
        {"p2p_mode", "async",
         "async: only the receiver waits p2p_latency; sync: a send also holds its sender for it (README)"},
    },
    owns, is_prefix, apply, nullptr, write};

}  // namespace ppemu::detail
