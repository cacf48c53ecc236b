#include "ppemu/strategy.h"

namespace ppemu {

#define PPEMU_STRATEGY(id) extern const Strategy id;
#include "strategies/list.inc"
#undef PPEMU_STRATEGY

const std::vector<const Strategy*>& strategies() {
  static const std::vector<const Strategy*> all = {
#define PPEMU_STRATEGY(id) &id,
#include "strategies/list.inc"
#undef PPEMU_STRATEGY
  };
  return all;
}

const Strategy* find_strategy(std::string_view name) {
  for (const Strategy* s : strategies()) {
    if (name == s->name) return s;
    for (const char* alias : s->aliases)
      if (name == alias) return s;
  }
  return nullptr;
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const Strategy* s : strategies()) {
    names.emplace_back(s->name);
    for (const char* alias : s->aliases) names.emplace_back(alias);
  }
  return names;
}

}  // namespace ppemu
