// The suite's main: the embedded conf/ presets are registered once, as the CLI does at start.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>

#include "ppemu/yaml.h"

int main(int argc, char** argv) {
  if (ppemu::Status st = ppemu::register_embedded_presets(); !st.ok()) {
    std::fprintf(stderr, "cannot register the embedded presets: %s\n", st.error().c_str());
    return 1;
  }
  return Catch::Session().run(argc, argv);
}
