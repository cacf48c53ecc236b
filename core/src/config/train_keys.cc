// train.*: the training step. Resolves before the run's keys: a global batch size decides
// num_batches = global_batch_size / (micro_batch_size x data_parallel_size), as in Megatron-LM.
#include "config/spec_keys.h"

namespace ppemu::detail {
namespace {

constexpr std::string_view kPrefix = "train";
using T = TrainSpec;

const std::vector<SpecKey<T>> kTable = {
    PPEMU_COUNT_KEY(T, "train", micro_batch_size, 1, -1, "1", "sequences per microbatch b"),
    PPEMU_COUNT_KEY(T, "train", global_batch_size, 1, 0, "num_batches x b x d", "sequences per iteration; sets num_batches"),
    PPEMU_WORD_KEY(T, "train", recompute_granularity, "none", "activation recomputation: none, selective (core attention) or full",
                   "none", "selective", "full"),
    PPEMU_WORD_KEY(T, "train", precision, "bf16", "bf16, fp16 or fp8 (GEMMs at gpu.peak_fp8_tflops)", "bf16", "fp16", "fp8"),
    PPEMU_BOOL_KEY(T, "train", use_flash_attn, "true", "fused (flash) attention: no s x s scores in memory"),
};

bool owns(std::string_view key) { return under(key, kPrefix); }
bool is_prefix(std::string_view path) { return path == kPrefix; }

Status apply(Config& c, std::string_view key, const json& v) {
  const SpecKey<T>* k = find_spec_key(kTable, key);
  if (!k) return unknown_key(key);
  c.train.given = true;
  return k->set(c.train, key, v);
}

Status resolve(Config& c, const Limits&) {
  if (!c.model) {
    if (c.train.given)
      return Error{"train.* keys describe a projection's training step, which needs a model: give model=NAME or model.* keys, or drop the train keys"};
    return {};
  }
  const TrainSpec& t = c.train;
  if (Status st = check_count("train.micro_batch_size", t.micro_batch_size, 1, 1 << 20); !st.ok()) return st;
  if (t.global_batch_size == 0) return {};
  const int64_t per_step = int64_t{t.micro_batch_size} * c.parallel.data_parallel_size;
  const std::string product = "train.micro_batch_size x parallel.data_parallel_size = " + std::to_string(t.micro_batch_size) + " x " +
                              std::to_string(c.parallel.data_parallel_size) + " = " + std::to_string(per_step);
  if (t.global_batch_size % per_step != 0)
    return Error{"train.global_batch_size (" + std::to_string(t.global_batch_size) + ") is not a multiple of " + product +
                 "; try train.global_batch_size=" + std::to_string((t.global_batch_size / per_step + 1) * per_step)};
  const int64_t batches = t.global_batch_size / per_step;
  if (c.num_batches_given && batches != c.num_batches)
    return Error{"num_batches=" + std::to_string(c.num_batches) + " contradicts train.global_batch_size=" + std::to_string(t.global_batch_size) +
                 " (/ " + product + " gives " + std::to_string(batches) + " microbatches); drop one of them"};
  c.num_batches = static_cast<int>(batches);
  return {};
}

void write(const Config& c, json& j) {
  if (c.model) j["train"] = spec_json(kTable, c.train, kPrefix);
}

}  // namespace

extern const KeyGroup kTrainKeys;
const KeyGroup kTrainKeys = {docs_of(kTable), owns, is_prefix, apply, resolve, write};

}  // namespace ppemu::detail
