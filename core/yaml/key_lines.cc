// Which line of a YAML config an error message is about. Config errors name their key first
// ("num_devices must be a whole number (got four)", "unknown config key 'x'; did you mean 'y'?"),
// so the first path of the file the message names is the one at fault. www/src/yaml-config.js
// has the same rule (lineOfKeyIn), tested on the same corpus.
#include "ppemu/yaml.h"

namespace ppemu {
namespace {

bool key_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

}  // namespace

std::string key_named_in(std::string_view message, const std::map<std::string, int>& lines) {
  for (size_t i = 0; i < message.size(); ++i) {
    // A path starts a word: "op_times.forward" is not found inside "xop_times.forward" or "a.op_times".
    if (i > 0 && (key_char(message[i - 1]) || message[i - 1] == '.')) continue;
    const std::string* best = nullptr;
    for (const auto& entry : lines) {
      const std::string& path = entry.first;
      if ((best && path.size() <= best->size()) || message.compare(i, path.size(), path) != 0) continue;
      // ... and ends one: a following '.' is fine (the message names a stage of a list the file gives whole).
      const size_t end = i + path.size();
      if (end < message.size() && key_char(message[end])) continue;
      best = &path;
    }
    if (best) return *best;
  }
  return "";
}

int line_of_key_in(std::string_view message, const std::map<std::string, int>& lines) {
  const std::string key = key_named_in(message, lines);
  return key.empty() ? 0 : lines.at(key);
}

}  // namespace ppemu
