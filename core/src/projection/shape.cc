#include "projection/shape.h"

#include "ppemu/projection.h"

#include <cmath>

namespace ppemu::projection {
namespace {

std::string n(double x) { return std::to_string(static_cast<long long>(x)); }

}  // namespace

Result<Shape> make_shape(const Config& c) {
  const ModelSpec& m = *c.model;
  const GpuSpec& gpu = *c.gpu;
  const ParallelSpec& par = c.parallel;
  const TrainSpec& tr = c.train;
  Shape x;
  x.t = par.tensor_model_parallel_size;
  x.p = c.num_devices;
  x.dp = par.data_parallel_size;
  x.ep = par.expert_model_parallel_size;
  x.num_stages = c.num_stages;
  x.m = c.num_batches;
  x.gpus_per_node = gpu.gpus_per_node;
  x.sp = par.sequence_parallel;
  x.distributed_optimizer = par.use_distributed_optimizer;
  x.overlap_grad_reduce = par.overlap_grad_reduce;
  x.flash = tr.use_flash_attn;
  x.fp8 = tr.precision == "fp8";
  x.fp16 = tr.precision == "fp16";
  x.recompute = tr.recompute_granularity == "full" ? Recompute::kFull
                : tr.recompute_granularity == "selective" ? Recompute::kSelective
                                                          : Recompute::kNone;

  x.L = m.num_layers;
  x.h = m.hidden_size;
  x.a = m.num_attention_heads;
  x.g = m.num_query_groups > 0 ? m.num_query_groups : m.num_attention_heads;
  x.d = m.kv_channels > 0 ? m.kv_channels : static_cast<double>(m.hidden_size / m.num_attention_heads);
  x.f = m.ffn_hidden_size > 0 ? m.ffn_hidden_size : 4.0 * m.hidden_size;
  x.s = m.seq_length;
  x.b = tr.micro_batch_size;
  x.V_raw = m.vocab_size;
  // Megatron pads the vocabulary to a multiple of make_vocab_size_divisible_by x TP
  // (megatron/training/tokenizer: _vocab_size_with_padding).
  const double unit = static_cast<double>(m.make_vocab_size_divisible_by) * x.t;
  x.V = std::ceil(x.V_raw / unit) * unit;
  x.swiglu = m.swiglu;
  x.tied = !m.untie_embeddings_and_output_weights;
  x.rms_norm = m.normalization == "RMSNorm";
  x.bias = m.add_bias_linear;
  x.learned_positions = m.position_embedding_type == "learned_absolute";
  x.hidden_dropout = m.hidden_dropout > 0;
  x.attention_dropout = m.attention_dropout > 0;
  x.mla = m.multi_latent_attention;
  x.q_lora = m.q_lora_rank;
  x.kv_lora = m.kv_lora_rank;
  x.qk_d = m.qk_head_dim;
  x.qk_rope = m.qk_pos_emb_head_dim;
  x.v_d = m.v_head_dim;
  x.experts = m.num_experts;
  x.topk = m.num_experts > 0 ? (m.moe_router_topk > 0 ? m.moe_router_topk : 2) : 0;
  x.f_moe = m.moe_ffn_hidden_size > 0 ? m.moe_ffn_hidden_size : x.f;
  x.f_shared = m.moe_shared_expert_intermediate_size;
  x.mtp = m.mtp_num_layers;
  x.moe_layer.assign(static_cast<size_t>(m.num_layers), false);
  if (m.num_experts > 0)
    for (int l = 0; l < m.num_layers; ++l)
      x.moe_layer[static_cast<size_t>(l)] = m.moe_layer_pattern.empty() ? l % m.moe_layer_freq == 0 : m.moe_layer_pattern[static_cast<size_t>(l)] != 0;

  // Megatron's own argument checks (megatron/training/arguments.py), each with what would work.
  const int t = x.t;
  if (m.num_attention_heads % t != 0)
    return Error{"model.num_attention_heads (" + n(x.a) + ") is not divisible by parallel.tensor_model_parallel_size (" +
                 std::to_string(t) + "); use a tensor-parallel size that divides it"};
  if (!x.mla && static_cast<int>(x.g) % t != 0)
    return Error{"model.num_query_groups (" + n(x.g) + ") is not divisible by parallel.tensor_model_parallel_size (" +
                 std::to_string(t) + "); each tensor-parallel GPU needs whole key/value heads"};
  if (static_cast<long long>(x.f) % t != 0)
    return Error{"model.ffn_hidden_size (" + n(x.f) + ") is not divisible by parallel.tensor_model_parallel_size (" +
                 std::to_string(t) + ")"};
  if (x.sp && t == 1)
    return Error{"parallel.sequence_parallel needs parallel.tensor_model_parallel_size > 1 (it splits what tensor parallelism replicates)"};
  if (x.sp && m.seq_length % t != 0)
    return Error{"parallel.sequence_parallel needs model.seq_length (" + n(x.s) + ") divisible by parallel.tensor_model_parallel_size (" +
                 std::to_string(t) + ")"};
  if (x.ep > 1 && x.experts == 0)
    return Error{"parallel.expert_model_parallel_size is " + std::to_string(x.ep) + " but the model is dense (no model.num_experts); drop it or give model.num_experts"};
  if (x.experts > 0 && x.experts % x.ep != 0)
    return Error{"model.num_experts (" + std::to_string(x.experts) + ") is not divisible by parallel.expert_model_parallel_size (" +
                 std::to_string(x.ep) + ")"};
  if (x.ep > 1 && x.dp % x.ep != 0)
    return Error{"parallel.expert_model_parallel_size (" + std::to_string(x.ep) + ") must divide parallel.data_parallel_size (" +
                 std::to_string(x.dp) + "): ppemu places expert parallelism inside data parallelism, expert tensor parallelism = t"};
  if (x.experts > 0 && t > 1 && !x.sp)
    return Error{"an MoE model with parallel.tensor_model_parallel_size > 1 needs parallel.sequence_parallel=true (Megatron-LM requires it)"};
  if (x.experts > 0 && static_cast<long long>(x.f_moe) % t != 0)
    return Error{"model.moe_ffn_hidden_size (" + n(x.f_moe) + ") is not divisible by parallel.tensor_model_parallel_size (" +
                 std::to_string(t) + ")"};
  if (x.fp8 && gpu.peak_fp8_tflops <= 0)
    return Error{"train.precision=fp8 needs gpu.peak_fp8_tflops (this GPU has none given); use train.precision=bf16 or give gpu.peak_fp8_tflops"};

  x.peak_bf16 = gpu.peak_tflops * 1e12;
  x.bf16_flops_per_s = x.peak_bf16 * gpu.matmul_efficiency;
  x.gemm_flops_per_s = (x.fp8 ? gpu.peak_fp8_tflops * 1e12 : x.peak_bf16) * gpu.matmul_efficiency;
  x.hbm_bytes_per_s = gpu.hbm_tbps * 1e12 * gpu.hbm_efficiency;
  x.intra_bytes_per_s = gpu.intra_node_gbps * 1e9 * gpu.intra_node_efficiency;
  x.inter_bytes_per_s = gpu.inter_node_gbps * 1e9 * gpu.inter_node_efficiency;
  x.memory_bytes = gpu.memory_gib * kBytesPerGiB;
  return x;
}

}  // namespace ppemu::projection
