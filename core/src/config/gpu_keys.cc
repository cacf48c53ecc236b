// gpu.*: the GPU's peaks, memory and links; the `gpu` config group (`gpu=h100_sxm` applies
// conf/gpu/h100_sxm.yaml). Only meaningful with a model: the projection is what reads them.
#include "config/spec_keys.h"
#include "ppemu/presets.h"
#include "projection/efficiency.h"

namespace ppemu::detail {
namespace {

constexpr std::string_view kPrefix = "gpu";
using G = GpuSpec;

const std::vector<SpecKey<G>> kTable = {
    PPEMU_NUMBER_KEY(G, "gpu", peak_tflops, false, 0, "preset", "dense BF16/FP16 tensor-core peak, TFLOP/s"),
    PPEMU_NUMBER_KEY(G, "gpu", peak_fp8_tflops, true, 0, "0 (none)", "dense FP8 peak, TFLOP/s (train.precision=fp8)"),
    PPEMU_NUMBER_KEY(G, "gpu", memory_gib, false, 0, "preset", "device memory, GiB"),
    PPEMU_NUMBER_KEY(G, "gpu", hbm_tbps, false, 0, "preset", "memory bandwidth, TB/s"),
    PPEMU_NUMBER_KEY(G, "gpu", intra_node_gbps, false, 0, "preset", "NVLink per direction per GPU, GB/s (bytes)"),
    PPEMU_NUMBER_KEY(G, "gpu", inter_node_gbps, false, 0, "preset", "network per direction per GPU, GB/s (bytes; 400 Gb/s = 50)"),
    PPEMU_COUNT_KEY(G, "gpu", gpus_per_node, 1, -1, "preset", "GPUs sharing one NVLink domain"),
    PPEMU_NUMBER_KEY(G, "gpu", matmul_efficiency, false, 1, PPEMU_DEFAULT_TEXT(PPEMU_MATMUL_EFFICIENCY), "achieved fraction of the peak in GEMMs"),
    PPEMU_NUMBER_KEY(G, "gpu", hbm_efficiency, false, 1, PPEMU_DEFAULT_TEXT(PPEMU_HBM_EFFICIENCY), "achieved fraction of hbm_tbps in memory-bound kernels"),
    PPEMU_NUMBER_KEY(G, "gpu", intra_node_efficiency, false, 1, PPEMU_DEFAULT_TEXT(PPEMU_INTRA_NODE_EFFICIENCY),
                     "achieved fraction of intra_node_gbps in collectives and sends"),
    PPEMU_NUMBER_KEY(G, "gpu", inter_node_efficiency, false, 1, PPEMU_DEFAULT_TEXT(PPEMU_INTER_NODE_EFFICIENCY),
                     "achieved fraction of inter_node_gbps"),
};

bool owns(std::string_view key) { return under(key, kPrefix); }
bool is_prefix(std::string_view path) { return path == kPrefix; }

Status apply(Config& c, std::string_view key, const json& v) {
  const SpecKey<G>* k = find_spec_key(kTable, key);
  if (!k) return unknown_key(key);
  if (!c.gpu) c.gpu.emplace();
  return k->set(*c.gpu, key, v);
}

std::string preset_list() {
  std::string list;
  for (const std::string& n : preset_names("gpu")) list += (list.empty() ? "" : ", ") + n;
  return list.empty() ? "" : " (presets: " + list + ")";
}

Status resolve(Config& c, const Limits&) {
  if (!c.model) {
    if (c.gpu) return Error{"gpu.* keys describe the hardware of a projection, which needs a model: give model=NAME or model.* keys, or drop the gpu keys"};
    return {};
  }
  if (!c.gpu) return Error{"the projection needs a GPU: give gpu=NAME" + preset_list() + " or gpu.* keys"};
  G& g = *c.gpu;
  const std::pair<const char*, double> required[] = {{"peak_tflops", g.peak_tflops},         {"memory_gib", g.memory_gib},
                                                     {"hbm_tbps", g.hbm_tbps},               {"intra_node_gbps", g.intra_node_gbps},
                                                     {"inter_node_gbps", g.inter_node_gbps}, {"gpus_per_node", g.gpus_per_node}};
  for (const auto& [name, value] : required)
    if (value <= 0) return Error{"the projection needs gpu." + std::string(name) + ": give gpu=NAME" + preset_list() + " or gpu." + name + "=..."};
  if (g.matmul_efficiency == 0) g.matmul_efficiency = PPEMU_MATMUL_EFFICIENCY;
  if (g.hbm_efficiency == 0) g.hbm_efficiency = PPEMU_HBM_EFFICIENCY;
  if (g.intra_node_efficiency == 0) g.intra_node_efficiency = PPEMU_INTRA_NODE_EFFICIENCY;
  if (g.inter_node_efficiency == 0) g.inter_node_efficiency = PPEMU_INTER_NODE_EFFICIENCY;
  return {};
}

void write(const Config& c, json& j) {
  if (c.model && c.gpu) j["gpu"] = spec_json(kTable, *c.gpu, kPrefix);
}

void reset(Config& c) { c.gpu.reset(); }

}  // namespace

extern const KeyGroup kGpuKeys;
const KeyGroup kGpuKeys = {docs_of(kTable), owns, is_prefix, apply, resolve, write, "gpu", reset};

}  // namespace ppemu::detail
