#pragma once
// The projection's inputs (model.*, gpu.*, parallel.*, train.*): a model, a GPU, the parallel
// layout and the training step, with Megatron-LM's argument names. Plain data; the key groups in
// core/src/config/ read and check them, core/src/projection/ turns them into op times and sizes.
#include <string>
#include <vector>

namespace ppemu {

/// The architecture (model.*). Zero in a size means "not given": the projection then uses
/// Megatron's default for it (kv_channels = hidden / heads, ffn = 4 hidden, ...).
struct ModelSpec {
  int num_layers = 0;
  int hidden_size = 0;
  int num_attention_heads = 0;
  int num_query_groups = 0;  ///< GQA key/value heads; 0 = num_attention_heads (multi-head attention)
  int kv_channels = 0;       ///< head dimension; 0 = hidden_size / num_attention_heads
  int ffn_hidden_size = 0;   ///< 0 = 4 x hidden_size
  int vocab_size = 0;
  int seq_length = 0;
  bool swiglu = false;
  bool untie_embeddings_and_output_weights = false;
  std::string normalization = "LayerNorm";                 ///< or RMSNorm (no bias: half the norm parameters)
  bool add_bias_linear = true;                             ///< biases in every linear layer (GPT yes, Llama no)
  std::string position_embedding_type = "learned_absolute";  ///< or rope (no position parameters)
  double hidden_dropout = 0.1;     ///< > 0 stores a 1-byte mask per hidden element (Korthikanti et al. 2022)
  double attention_dropout = 0.1;  ///< > 0 stores the mask and the output of the attention-score dropout
  int make_vocab_size_divisible_by = 128;  ///< Megatron pads the vocabulary to a multiple of this x TP

  // Mixture of experts (0 experts: dense).
  int num_experts = 0;
  int moe_router_topk = 0;                      ///< 0 = Megatron's default 2
  int moe_ffn_hidden_size = 0;                  ///< 0 = ffn_hidden_size
  int moe_shared_expert_intermediate_size = 0;  ///< 0 = no shared expert
  int moe_layer_freq = 1;                       ///< every k-th layer is MoE (layer 0 first)
  std::vector<int> moe_layer_pattern;           ///< 1 = MoE, one per layer; overrides moe_layer_freq when given

  // Multi-latent attention (DeepSeek-V2/V3).
  bool multi_latent_attention = false;
  int q_lora_rank = 0;  ///< 0 = queries projected directly from the hidden state
  int kv_lora_rank = 0;
  int qk_head_dim = 0;
  int qk_pos_emb_head_dim = 0;
  int v_head_dim = 0;

  int mtp_num_layers = 0;  ///< multi-token-prediction layers after the last one (DeepSeek-V3: 1)
};

/// The GPU and its links (gpu.*). Zero = not given; the projection names what it misses.
struct GpuSpec {
  double peak_tflops = 0;      ///< dense BF16/FP16 tensor-core peak, TFLOP/s
  double peak_fp8_tflops = 0;  ///< dense FP8 peak; 0 = no FP8
  double memory_gib = 0;       ///< device memory, GiB
  double hbm_tbps = 0;         ///< memory bandwidth, TB/s
  double intra_node_gbps = 0;  ///< NVLink (or the node's GPU fabric) per direction per GPU, GB/s
  double inter_node_gbps = 0;  ///< network per GPU per direction, GB/s (a 400 Gb/s NIC is 50)
  int gpus_per_node = 0;
  double matmul_efficiency = 0;  ///< achieved fraction of the peak in GEMMs; 0 = ppemu's validated default
  double hbm_efficiency = 0;     ///< achieved fraction of hbm_tbps in memory-bound kernels; 0 = default
  double intra_node_efficiency = 0;  ///< achieved fraction of intra_node_gbps in collectives and sends; 0 = default
  double inter_node_efficiency = 0;  ///< achieved fraction of inter_node_gbps; 0 = default
};

/// The parallel dimensions besides the pipeline (parallel.*). Pipeline size is num_devices.
struct ParallelSpec {
  int tensor_model_parallel_size = 1;
  int data_parallel_size = 1;
  bool sequence_parallel = false;
  bool use_distributed_optimizer = false;
  int expert_model_parallel_size = 1;
  bool overlap_grad_reduce = false;  ///< the gradient reduction runs under the last microbatch's backward
  /// Transformer layers of each model stage (num_stages entries); empty = even split. Megatron's
  /// layout string ("Et*3|(tttt|)*6|t*3L") is read into this.
  std::vector<int> pipeline_model_parallel_layout;
  int decoder_first_pipeline_num_layers = 0;  ///< layers of stage 0; 0 = even split
  int decoder_last_pipeline_num_layers = 0;   ///< layers of the last stage; 0 = even split
  bool given = false;  ///< some parallel.* key was set
};

/// The training step (train.*).
struct TrainSpec {
  int micro_batch_size = 1;
  int global_batch_size = 0;                 ///< 0 = not given: num_batches stands
  std::string recompute_granularity = "none";  ///< none, selective (core attention), full (every layer)
  std::string precision = "bf16";            ///< bf16, fp16 (same peak), fp8 (GEMMs at gpu.peak_fp8_tflops)
  bool use_flash_attn = true;                ///< fused attention: no s x s scores stored or streamed
  bool given = false;                        ///< some train.* key was set
};

}  // namespace ppemu
