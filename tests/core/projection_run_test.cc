// A projected run is an ordinary run with projected numbers: the emulator's figures follow from
// the per-stage times exactly as in abstract mode, keys a user gave win, and the iteration time,
// throughput and memory per device are built from the emulated timeline as documented.
#include <cstdio>

#include "helpers.h"
#include "ppemu/export.h"

using namespace ppemu;
using Catch::Matchers::WithinRel;

namespace {

Run projected(std::initializer_list<std::string> assignments) {
  Run r = test::run_of(assignments);
  REQUIRE(r.projection.has_value());
  return r;
}

}  // namespace

TEST_CASE("a projected 1F1B equals the closed form with the computed F and B") {
  // Llama 3 8B over 4 stages of 8 layers; the last stage also runs the output layer and the loss,
  // so it is the slowest. With no latency, 1F1B then keeps it busy from the first microbatch's
  // arrival to the last one's backward: makespan = sum over the other stages of (F + B) + m (F + B)
  // of the last (with equal stages this is Narayanan et al.'s (m + p - 1)(F + B)).
  const Run r = projected({"model=llama3_8b", "gpu=h100_sxm", "strategy=1f1b", "num_devices=4", "num_stages=4", "num_batches=12",
                           "p2p_latency=0"});
  const auto& st = r.projection->stages;
  const double last = st[3].forward_ms + st[3].backward_ms;
  double others = 0;
  for (int s = 0; s < 3; ++s) {
    REQUIRE(st[s].forward_ms + st[s].backward_ms < last);
    others += st[s].forward_ms + st[s].backward_ms;
  }
  CHECK_THAT(r.metrics.makespan, WithinRel(others + 12 * last, 1e-12));
  // The first stage carries the embedding, the last the output layer: stages are not equal.
  CHECK(st[0].forward_ms > st[1].forward_ms);
  CHECK(st[3].forward_ms > st[0].forward_ms);
  CHECK(st[1].forward_ms == st[2].forward_ms);
}

TEST_CASE("the projection is a front end: the same per-stage numbers given by hand give the same run") {
  for (const char* strategy : {"1f1b", "zb1p", "interleave", "zbv", "dualpipe_v", "dualpipe"}) {
    INFO(strategy);
    const bool v = std::string(strategy) == "zbv" || std::string(strategy) == "dualpipe_v", inter = std::string(strategy) == "interleave";
    const int stages = v || inter ? 8 : 4;
    Config c = test::config_of({"model=llama3_8b", "gpu=h100_sxm", std::string("strategy=") + strategy, "num_devices=4",
                                "num_stages=" + std::to_string(stages), "num_batches=8"});
    const Run r = test::run_of(c);
    Config manual = test::config_of({std::string("strategy=") + strategy, "num_devices=4", "num_stages=" + std::to_string(stages),
                                     "num_batches=8"});
    manual.op_times = r.config.op_times;
    manual.op_memory = r.config.op_memory;
    manual.p2p_latency = r.config.p2p_latency;
    const Run m = test::run_of(manual);
    CHECK(m.metrics.makespan == r.metrics.makespan);
    CHECK(m.metrics.peak_memory == r.metrics.peak_memory);
    CHECK(m.timeline.end == r.timeline.end);
    CHECK_FALSE(m.projection.has_value());
  }
}

TEST_CASE("keys a config source gave win over the projected ones") {
  const Run r = projected({"model=llama3_8b", "gpu=h100_sxm", "op_times.forward=5", "p2p_latency=0.25", "op_memory.static=1e9"});
  CHECK(r.config.op_times.forward.at(0) == 5);
  CHECK(r.config.op_times.forward.at(3) == 5);
  CHECK(r.config.p2p_latency == 0.25);
  CHECK(r.metrics.devices[0].static_memory == 1e9);
  CHECK(r.config.op_times.backward.at(0) == r.projection->stages[0].backward_ms);  // the rest is projected
  CHECK(r.projection->kept == std::vector<std::string>{"op_times.forward", "p2p_latency", "op_memory.static"});
}

TEST_CASE("without model keys nothing is projected and the run is in abstract units") {
  const Run r = test::run_of({"strategy=1f1b"});
  CHECK_FALSE(r.projection.has_value());
  CHECK(r.metrics.makespan == 33);
  CHECK(to_json(r).find("\"projection\"") == std::string::npos);
  CHECK(to_summary(r).find("projection") == std::string::npos);
}

TEST_CASE("iteration time = the last device's end + exposed gradient reduction + optimizer step + weight gather") {
  const Run r = projected({"model=gpt_39b", "gpu=a100_80gb", "num_devices=2", "num_stages=2", "parallel.tensor_model_parallel_size=8",
                           "parallel.data_parallel_size=32", "train.micro_batch_size=4", "train.global_batch_size=1536",
                           "train.recompute_granularity=full"});
  const Projection& p = *r.projection;
  double latest = 0;
  for (const DeviceProjection& d : p.devices) {
    CHECK(d.finish_ms == d.end_ms + d.grad_reduce_exposed_ms + d.optimizer_ms + d.param_gather_ms);
    CHECK(d.grad_reduce_exposed_ms == d.grad_reduce_ms);  // no overlap asked for
    CHECK(d.end_ms == r.metrics.devices[static_cast<size_t>(d.device)].span_end);
    latest = std::max(latest, d.finish_ms);
  }
  CHECK(p.iteration_time_ms == latest);
  CHECK(p.makespan_ms == r.metrics.makespan);
  const double seconds = p.iteration_time_ms / 1e3;
  CHECK_THAT(p.tokens_per_s, WithinRel(1536 * 2048 / seconds, 1e-12));
  CHECK_THAT(p.mfu, WithinRel(p.flops_per_iteration / seconds / (512 * 312e12), 1e-12));
  CHECK(p.num_gpus == 2 * 8 * 32);
  // Ring all-reduce of the FP32 gradients over 32 replicas on the network (25 GB/s x 0.9):
  // 2 (d-1)/d x 4 bytes x parameters; and the tied word embedding's two copies (first and last
  // stage) all-reduce their gradients, V h / t of them, over the pipeline link.
  const double params = p.stages[1].parameters, embedding = 51200.0 * 8192 / 8;
  CHECK_THAT(p.devices[1].grad_reduce_ms,
             WithinRel((2.0 * 31 / 32 * 4 * params + 4 * embedding) / (25e9 * 0.9) * 1e3, 1e-12));
  // With the reduction overlapped, only what the last backward ops cannot hide is left.
  const Run overlapped = projected({"model=gpt_39b", "gpu=a100_80gb", "num_devices=2", "num_stages=2",
                                    "parallel.tensor_model_parallel_size=8", "parallel.data_parallel_size=32",
                                    "parallel.overlap_grad_reduce=true", "train.micro_batch_size=4",
                                    "train.global_batch_size=1536", "train.recompute_granularity=full"});
  CHECK(overlapped.projection->iteration_time_ms < p.iteration_time_ms);
  for (const DeviceProjection& d : overlapped.projection->devices) CHECK(d.grad_reduce_exposed_ms < d.grad_reduce_ms);
}

TEST_CASE("memory per device comes from the emulation: static of its stages plus activations in flight") {
  const Run r = projected({"model=gpt3_175b", "gpu=a100_80gb", "strategy=interleave", "num_devices=8", "num_stages=24",
                           "parallel.tensor_model_parallel_size=8", "train.global_batch_size=64", "train.use_flash_attn=false"});
  const Projection& p = *r.projection;
  for (const DeviceProjection& d : p.devices) {
    INFO("device " << d.device);
    CHECK_THAT(d.static_bytes, WithinRel(d.weight_bytes + d.gradient_bytes + d.optimizer_bytes, 1e-12));
    CHECK(d.peak_bytes == r.metrics.devices[static_cast<size_t>(d.device)].peak_memory);
    CHECK(d.activations_peak_bytes == d.peak_bytes - d.static_bytes);
  }
  // Device 0 holds chunks 0, 8 and 16 and, in Megatron's interleaved warm-up, the most
  // microbatches: p (1 + (p-1)/(p v)) x L/p layers' worth = 124 layers (Korthikanti et al. 2022
  // §5), each sbh(10 + 24/t + 5as/(ht)) without recompute, plus the embedding's.
  CHECK(r.metrics.devices[0].peak_activations == 31);  // 31 (microbatch, chunk) pairs of 4 layers
  // Without recompute GPT-3 does not fit on 8 A100s per replica: flagged, device by device.
  CHECK_FALSE(p.fits);
  CHECK_FALSE(p.devices[0].fits);
  CHECK(p.peak_memory_bytes > 80 * kBytesPerGiB);
  CHECK(to_summary(r).find("NO: out of memory") != std::string::npos);
  // Full recompute keeps a layer's input only: it fits.
  const Run full = projected({"model=gpt3_175b", "gpu=a100_80gb", "strategy=interleave", "num_devices=8", "num_stages=24",
                              "parallel.tensor_model_parallel_size=8", "train.global_batch_size=64",
                              "train.recompute_granularity=full"});
  CHECK(full.projection->fits);
  // The summary's run table speaks GiB and ms when projected, as its projection section does.
  char peak[64];
  std::snprintf(peak, sizeof peak, "peak_memory        %.2f GiB", full.metrics.peak_memory / kBytesPerGiB);
  const std::string summary = to_summary(full);
  CHECK_THAT(summary, Catch::Matchers::Contains(peak));
  CHECK_THAT(summary, Catch::Matchers::Contains("device     busy_ms     idle_ms"));
  CHECK_THAT(summary, Catch::Matchers::Contains("static_GiB    peak_GiB"));
}

TEST_CASE("DualPipe's devices hold two copies of their stages' weights") {
  const Run r = projected({"model=llama3_8b", "gpu=h100_sxm", "strategy=dualpipe", "num_devices=4", "num_stages=4", "num_batches=8"});
  const Projection& p = *r.projection;
  // Device 1 holds stage 1 of one direction and stage 2 of the other.
  CHECK_THAT(p.devices[1].weight_bytes, WithinRel(p.stages[1].weight_bytes + p.stages[2].weight_bytes, 1e-12));
  CHECK_THAT(r.metrics.devices[1].static_memory, WithinRel(p.devices[1].static_bytes, 1e-12));
}

TEST_CASE("uneven layer splits: Megatron's layout text, first/last stage layer counts") {
  const Run layout = projected({"model=llama3_8b", "gpu=h100_sxm", "num_devices=4", "num_stages=4", "num_batches=4",
                                "parallel.pipeline_model_parallel_layout=Et*7|(t*9|)*2,t*7L"});
  std::vector<int> counts;
  for (const StageProjection& s : layout.projection->stages) counts.push_back(s.num_layers);
  CHECK(counts == std::vector<int>{7, 9, 9, 7});
  CHECK(layout.projection->stages[2].first_layer == 16);
  const Run list = projected({"model=llama3_8b", "gpu=h100_sxm", "num_devices=4", "num_stages=4", "num_batches=4",
                              "parallel.pipeline_model_parallel_layout=[7,9,9,7]"});
  CHECK(list.metrics.makespan == layout.metrics.makespan);
  const Run ends = projected({"model=llama3_8b", "gpu=h100_sxm", "num_devices=4", "num_stages=4", "num_batches=4",
                              "parallel.decoder_first_pipeline_num_layers=7", "parallel.decoder_last_pipeline_num_layers=7"});
  CHECK(ends.metrics.makespan == layout.metrics.makespan);
  // One layer fewer on the first and the last stage evens out the embedding and the loss: the
  // slowest stage is faster than with the even split.
  const Run even = projected({"model=llama3_8b", "gpu=h100_sxm", "num_devices=4", "num_stages=4", "num_batches=4"});
  auto slowest = [](const Run& r) {
    double t = 0;
    for (const StageProjection& s : r.projection->stages) t = std::max(t, s.forward_ms + s.backward_ms);
    return t;
  };
  CHECK(slowest(layout) < slowest(even));
}

TEST_CASE("bad projection inputs are one line naming the key and what would work") {
  const std::string gpt = "model=gpt3_175b", a100 = "gpu=a100_80gb";
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"model=gpt5"}, "unknown model preset 'gpt5' (presets: deepseek_v3, gpt3_175b,"},
      {{gpt, a100, "parallel.tensor_model_parallel_size=5"},
       "model.num_attention_heads (96) is not divisible by parallel.tensor_model_parallel_size (5)"},
      {{"model=llama3_70b", a100, "parallel.tensor_model_parallel_size=16"},
       "model.num_query_groups (8) is not divisible by parallel.tensor_model_parallel_size (16)"},
      {{gpt, a100, "num_devices=8", "num_stages=8", "parallel.pipeline_model_parallel_layout=[12,12,12,12,12,12,12,11]"},
       "parallel.pipeline_model_parallel_layout covers 95 layers but model.num_layers is 96"},
      {{gpt, a100, "parallel.pipeline_model_parallel_layout=[48,48]"},
       "parallel.pipeline_model_parallel_layout gives 2 stages but num_stages is 4"},
      {{gpt, a100, "parallel.pipeline_model_parallel_layout=t*96"}, "must start with E (embedding) and end with L (loss)"},
      {{gpt, a100, "num_devices=5", "num_stages=5"}, "model.num_layers (96) does not split evenly over num_stages (5); give parallel.pipeline_model_parallel_layout"},
      {{gpt, a100, "parallel.data_parallel_size=3", "train.global_batch_size=64"},
       "train.global_batch_size (64) is not a multiple of train.micro_batch_size x parallel.data_parallel_size = 1 x 3 = 3; try train.global_batch_size=66"},
      {{gpt, a100, "num_batches=4", "train.global_batch_size=64"}, "num_batches=4 contradicts train.global_batch_size=64"},
      {{"model=llama3_8b", a100, "model.moe_router_topk=2"}, "model.moe_router_topk is an MoE key but model.num_experts is not set"},
      {{"model=llama3_8b", a100, "parallel.expert_model_parallel_size=2"}, "parallel.expert_model_parallel_size is 2 but the model is dense"},
      {{"model=mixtral_8x7b", a100, "parallel.expert_model_parallel_size=3", "parallel.data_parallel_size=3"},
       "model.num_experts (8) is not divisible by parallel.expert_model_parallel_size (3)"},
      {{"model=mixtral_8x7b", a100, "parallel.expert_model_parallel_size=4", "parallel.data_parallel_size=2"},
       "parallel.expert_model_parallel_size (4) must divide parallel.data_parallel_size (2)"},
      {{gpt}, "the projection needs a GPU: give gpu=NAME (presets: a100_40gb, a100_80gb, b200, h100_sxm, h200, mi300x)"},
      {{a100}, "gpu.* keys describe the hardware of a projection, which needs a model"},
      {{"train.micro_batch_size=2"}, "train.* keys describe a projection's training step, which needs a model"},
      {{"parallel.tensor_model_parallel_size=2"}, "parallel.* keys describe a projection's layout, which needs a model"},
      {{"model.hidden_size=4096", a100}, "the projection needs model.num_layers: give model=NAME"},
      {{gpt, "gpu.peak_tflops=100"}, "the projection needs gpu.memory_gib"},
      {{gpt, a100, "train.precision=fp8"}, "train.precision=fp8 needs gpu.peak_fp8_tflops"},
      {{gpt, a100, "train.precision=int4"}, "train.precision must be one of bf16, fp16, fp8 (got int4)"},
      {{gpt, a100, "parallel.sequence_parallel=true"}, "parallel.sequence_parallel needs parallel.tensor_model_parallel_size > 1"},
      {{gpt, a100, "gpu.matmul_efficiency=1.5"}, "gpu.matmul_efficiency must be at most 1 (got 1.5)"},
      {{gpt, a100, "model.num_layers=0"}, "model.num_layers must be a whole number >= 1 (got 0)"},
      {{gpt, a100, "model.hidden_size=1000"}, "model.hidden_size (1000) is not a multiple of model.num_attention_heads (96)"},
      {{gpt, a100, "model.kv_lora_rank=512"}, "model.kv_lora_rank is a multi-latent attention key"},
      {{"model=deepseek_v3", a100, "model.num_layers=60"}, "model.moe_layer_freq gives 61 layers but model.num_layers is 60"},
      {{gpt, a100, "model.moe_layer_freq=([0]*3+[1]*x)"}, "model.moe_layer_freq must be a number k, a 0/1 list or a pattern"},
      {{gpt, a100, "parallel.pipeline_model_parallel_layout=(Et|"}, "a '(' is never closed"},
      {{gpt, a100, "parallel.pipeline_model_parallel_layout=(Et|)"}, "a group must read (...)*n"},
      {{gpt, a100, "parallel.pipeline_model_parallel_layout=E(t*9999|)*9999L"}, "expands to more than a million letters"},
  };
  for (const auto& [assignments, message] : cases) {
    std::string all;
    for (const auto& a : assignments) all += a + " ";
    INFO(all);
    Config c;
    std::string error;
    for (const auto& a : assignments) {
      if (Status st = apply_assignment(c, a); !st.ok()) {
        error = st.error();
        break;
      }
    }
    if (error.empty()) {
      Result<Run> r = simulate(c);
      REQUIRE_FALSE(r.ok());
      error = r.error();
    }
    CHECK(error.find(message) != std::string::npos);
    CHECK(error.find('\n') == std::string::npos);
  }
}
