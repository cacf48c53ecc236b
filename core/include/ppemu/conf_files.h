#pragma once
// The repository's conf/ folder (Hydra's config path: conf/<group>/<name>.yaml presets), embedded
// in the binary at build time, so the CLI and the WASM module carry the same files without a
// file system. The core does not read YAML: hosts parse these texts (ppemu/yaml.h natively, the
// page's YAML parser in the browser) and register them as presets.
#include <vector>

namespace ppemu {

struct ConfFile {
  const char* path;  ///< relative to conf/, with '/' separators: "model/gpt3_175b.yaml"
  const char* text;  ///< the file as written
};

/// Every conf/**/*.yaml file, sorted by path.
const std::vector<ConfFile>& embedded_conf_files();

}  // namespace ppemu
