// ppemu command line: Hydra-style key=value overrides in, a summary / JSON / trace out.
// Exit status: 0 done, 2 bad input (one line on stderr naming the problem), 1 could not write.
#include <iostream>

#include "io.h"
#include "modes.h"
#include "options.h"
#include "ppemu/strategy.h"
#include "ppemu/yaml.h"

namespace ppemu::cli {

#define PPEMU_MODE(id) extern const Mode id;
#include "modes.inc"
#undef PPEMU_MODE

const std::vector<const Mode*>& modes() {
  static const std::vector<const Mode*> all = {
#define PPEMU_MODE(id) &id,
#include "modes.inc"
#undef PPEMU_MODE
  };
  return all;
}

namespace {

std::string list_strategies() {
  std::string out;
  for (const Strategy* s : strategies()) {
    out += s->name;
    for (const char* alias : s->aliases) out += std::string(" (alias ") + alias + ")";
    out += "\n  " + std::string(s->description) + "\n  constraints: " + s->constraints + "\n";
  }
  return out;
}

}  // namespace
}  // namespace ppemu::cli

int main(int argc, char** argv) {
  using namespace ppemu::cli;
  // conf/<group>/<name>.yaml carried in the binary: model=NAME and gpu=NAME find them.
  if (ppemu::Status st = ppemu::register_embedded_presets(); !st.ok()) return bad_input(st.error());
  Options options;
  if (ppemu::Status st = parse_args(argc, argv, options); !st.ok()) return bad_input(st.error());
  if (options.help) return write_output(Options{}, usage());
  if (options.list_strategies) return write_output(Options{}, list_strategies());
  for (const Mode* mode : modes())
    if (mode->selected(options)) return mode->run(options);
  return 0;
}
