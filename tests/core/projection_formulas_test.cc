// The projection's formulas against hand counts and the papers' closed forms: FLOPs (Megatron-LM,
// Narayanan et al. 2021), activation bytes (Korthikanti et al. 2022 Table 2, Zero Bubble's after-B
// share), static bytes (Megatron's 18 and 6 + 12/d bytes per parameter).
#include "helpers.h"

using namespace ppemu;
using Catch::Matchers::WithinRel;

namespace {

Run projected(std::initializer_list<std::string> assignments) {
  Run r = test::run_of(assignments);
  REQUIRE(r.projection.has_value());
  return r;
}

// A model small enough to count by hand: L = 2, h = 8, a = 2 (d = 4), f = 32, V = 64, s = 16.
const std::initializer_list<std::string> kTiny = {
    "model.num_layers=2",       "model.hidden_size=8",  "model.num_attention_heads=2", "model.ffn_hidden_size=32",
    "model.vocab_size=64",      "model.seq_length=16",  "model.make_vocab_size_divisible_by=64", "gpu=a100_80gb",
    "num_devices=1",            "num_stages=1",         "num_batches=2"};

Run tiny(std::initializer_list<std::string> extra) {
  Config c = test::config_of(kTiny);
  for (const auto& a : extra) REQUIRE(apply_assignment(c, a).ok());
  Run r = test::run_of(c);
  REQUIRE(r.projection.has_value());
  return r;
}

}  // namespace

TEST_CASE("iteration FLOPs of a tiny model equal a hand count") {
  // Per layer forward, b = 1, s = 16: QKV 2*16*8*24 = 6144, output projection 2*16*8*8 = 2048,
  // MLP 2*16*8*32*2 = 16384 (24576 in GEMMs); attention core 4*1*16^2*8 = 8192. Output layer
  // 2*16*8*64 = 16384. Per microbatch, three passes: 3 (2*24576 + 2*8192/2 + 16384) = 221184 with
  // causal attention halved (Megatron), 3 (2*24576 + 2*8192 + 16384) = 245760 without. Two
  // microbatches. Full recompute adds the layers' forward again: 2 * 2 (24576 + 8192) = 131072.
  const Projection p = *tiny({"train.recompute_granularity=full"}).projection;
  CHECK(p.flops_per_iteration == 442368);
  CHECK(p.flops_per_iteration_full_attention == 491520);
  CHECK(p.hardware_flops_per_iteration == 491520 + 131072);
  CHECK(p.tokens_per_iteration == 32);
  CHECK(p.padded_vocab_size == 64);
  // Selective recompute re-runs only the core attention: 2 * 2 * 8192.
  CHECK(tiny({"train.recompute_granularity=selective"}).projection->hardware_flops_per_iteration == 491520 + 32768);
}

TEST_CASE("GPT FLOPs are Narayanan et al.'s closed forms: 72Bslh^2(1 + s/6h + V/12lh), 96Bslh^2(1 + s/6h + V/16lh) with recompute") {
  // GPT-3 175B, B = 64, s = 2048, l = 96, h = 12288, V padded to 51200 at t = 8 (SC21 eq. 3).
  const Projection p = *projected({"model=gpt3_175b", "gpu=a100_80gb", "num_devices=8", "num_stages=24", "strategy=interleave",
                                   "parallel.tensor_model_parallel_size=8", "train.global_batch_size=64",
                                   "train.recompute_granularity=full"})
                            .projection;
  const double B = 64, s = 2048, l = 96, h = 12288, V = 51200;
  CHECK(p.padded_vocab_size == 51200);
  CHECK_THAT(p.flops_per_iteration_full_attention, WithinRel(72 * B * s * l * h * h * (1 + s / (6 * h) + V / (12 * l * h)), 1e-12));
  CHECK_THAT(p.hardware_flops_per_iteration, WithinRel(96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h)), 1e-12));
  // Megatron halves the s^2 term: 72Bslh^2(1 + s/12h + V/12lh).
  CHECK_THAT(p.flops_per_iteration, WithinRel(72 * B * s * l * h * h * (1 + s / (12 * h) + V / (12 * l * h)), 1e-12));
}

TEST_CASE("activation bytes per layer follow Korthikanti et al. 2022 Table 2 in every recompute and SP setting") {
  // GPT-3 175B on three stages: stage 1 holds 32 layers and neither embedding nor loss.
  const double s = 2048, b = 1, h = 12288, a = 96, t = 8, layers = 32, sbh = s * b * h;
  struct Row {
    const char* recompute;
    bool sp;
    double per_layer;  // bytes
    const char* table2;
  };
  const Row rows[] = {
      {"none", false, sbh * (10 + 24 / t + 5 * a * s / (h * t)), "tensor parallel"},
      {"none", true, sbh / t * (34 + 5 * a * s / h), "tensor + sequence parallel"},
      {"selective", false, sbh * (10 + 24 / t), "tensor parallel + selective recompute"},
      {"selective", true, 34 * sbh / t, "tensor + sequence parallel + selective recompute"},
      {"full", false, 2 * sbh, "full recompute"},
      {"full", true, 2 * sbh / t, "full recompute with sequence parallel"},
  };
  for (const Row& r : rows) {
    INFO(r.table2);
    const Projection p = *projected({"model=gpt3_175b", "gpu=a100_80gb", "num_devices=3", "num_stages=3", "num_batches=3",
                                     "parallel.tensor_model_parallel_size=8", "train.use_flash_attn=false",
                                     std::string("train.recompute_granularity=") + r.recompute,
                                     std::string("parallel.sequence_parallel=") + (r.sp ? "true" : "false")})
                              .projection;
    CHECK_THAT(p.stages[1].activation_bytes, WithinRel(layers * r.per_layer, 1e-12));
  }
  // No parallelism at all: sbh(34 + 5as/h); Zero Bubble keeps 32sbh of it after B (W's share).
  const Projection one = *projected({"model=gpt3_175b", "gpu=a100_80gb", "num_devices=3", "num_stages=3", "num_batches=3",
                                     "train.use_flash_attn=false"})
                              .projection;
  CHECK_THAT(one.stages[1].activation_bytes, WithinRel(layers * sbh * (34 + 5 * a * s / h), 1e-12));
  CHECK_THAT(one.stages[1].after_B_bytes, WithinRel(layers * 32 * sbh, 1e-12));
  // Flash attention stores no s x s scores, only the softmax statistics (4 bytes per head and token).
  const Projection flash = *projected({"model=gpt3_175b", "gpu=a100_80gb", "num_devices=3", "num_stages=3", "num_batches=3"}).projection;
  CHECK_THAT(flash.stages[1].activation_bytes, WithinRel(layers * (34 * sbh + 4 * a * s * b), 1e-12));
}

TEST_CASE("static memory is Megatron's 18 bytes per parameter, or 6 + 12/d with the distributed optimizer") {
  Config c = test::config_of({"model=gpt3_175b", "gpu=a100_80gb", "num_devices=8", "num_stages=8",
                              "parallel.tensor_model_parallel_size=8", "parallel.data_parallel_size=4", "num_batches=8"});
  const Projection plain = *test::run_of(c).projection;
  REQUIRE(apply_assignment(c, "parallel.use_distributed_optimizer=true").ok());
  const Projection sharded = *test::run_of(c).projection;
  for (size_t s = 0; s < plain.stages.size(); ++s) {
    const StageProjection& st = plain.stages[s];
    CHECK_THAT(st.weight_bytes + st.gradient_bytes + st.optimizer_bytes, WithinRel(18 * st.parameters, 1e-12));
    const StageProjection& sh = sharded.stages[s];
    CHECK_THAT(sh.weight_bytes + sh.gradient_bytes + sh.optimizer_bytes, WithinRel((6 + 12.0 / 4) * sh.parameters, 1e-12));
  }
  // One GPU of a middle stage holds 12 of the 96 layers, each 12h^2 + 13h, split 8 ways
  // (the 4h bias and norms are replicated): Korthikanti et al. 2022 Figure 1's 45.56 GiB for 175B.
  const double h = 12288;
  CHECK_THAT(plain.stages[3].parameters, WithinRel(12 * ((12 * h * h + 9 * h) / 8 + 4 * h), 1e-12));
}
