// model.*: the architecture the projection works from, with Megatron-LM's argument names; the
// `model` config group, so `model=gpt3_175b` applies conf/model/gpt3_175b.yaml. Any model key
// turns the projection on; without one the run is in abstract units as before.
#include <cctype>

#include "config/spec_keys.h"
#include "ppemu/presets.h"

namespace ppemu::detail {
namespace {

constexpr std::string_view kPrefix = "model";
using M = ModelSpec;

const std::vector<SpecKey<M>> kTable = {
    PPEMU_COUNT_KEY(M, "model", num_layers, 1, -1, "preset", "transformer layers"),
    PPEMU_COUNT_KEY(M, "model", hidden_size, 1, -1, "preset", "hidden size h"),
    PPEMU_COUNT_KEY(M, "model", num_attention_heads, 1, -1, "preset", "attention heads a"),
    PPEMU_COUNT_KEY(M, "model", num_query_groups, 1, 0, "heads", "key/value heads (grouped-query attention)"),
    PPEMU_COUNT_KEY(M, "model", kv_channels, 1, 0, "hidden/heads", "head dimension"),
    PPEMU_COUNT_KEY(M, "model", ffn_hidden_size, 1, 0, "4 x hidden", "MLP hidden size"),
    PPEMU_COUNT_KEY(M, "model", vocab_size, 1, -1, "preset", "vocabulary (padded to make_vocab_size_divisible_by x TP)"),
    PPEMU_COUNT_KEY(M, "model", seq_length, 1, -1, "preset", "sequence length s"),
    PPEMU_BOOL_KEY(M, "model", swiglu, "false", "gated MLP (3 matrices instead of 2)"),
    PPEMU_BOOL_KEY(M, "model", untie_embeddings_and_output_weights, "false", "separate LM head weights"),
    PPEMU_WORD_KEY(M, "model", normalization, "LayerNorm", "LayerNorm or RMSNorm", "LayerNorm", "RMSNorm"),
    PPEMU_BOOL_KEY(M, "model", add_bias_linear, "true", "biases in the linear layers"),
    PPEMU_WORD_KEY(M, "model", position_embedding_type, "learned_absolute", "learned_absolute or rope", "learned_absolute",
                   "rope"),
    PPEMU_NUMBER_KEY(M, "model", hidden_dropout, true, 1, "0.1", "dropout after attention and MLP (0: no masks stored)"),
    PPEMU_NUMBER_KEY(M, "model", attention_dropout, true, 1, "0.1", "dropout of the attention scores"),
    PPEMU_COUNT_KEY(M, "model", make_vocab_size_divisible_by, 1, -1, "128", "vocabulary padding unit (times TP)"),
    PPEMU_COUNT_KEY(M, "model", num_experts, 1, 0, "dense", "routed experts per MoE layer"),
    PPEMU_COUNT_KEY(M, "model", moe_router_topk, 1, 0, "2", "experts each token is routed to"),
    PPEMU_COUNT_KEY(M, "model", moe_ffn_hidden_size, 1, 0, "ffn_hidden_size", "hidden size of one routed expert"),
    PPEMU_COUNT_KEY(M, "model", moe_shared_expert_intermediate_size, 1, 0, "none", "hidden size of the shared expert(s)"),
    {{"model.moe_layer_freq", "1", "MoE every k-th layer, or a 0/1 list per layer, or Megatron's \"([0]*3+[1]*58)\""},
     nullptr,  // read below: a number, a list or Megatron's pattern text
     [](const M& m) { return m.moe_layer_pattern.empty() ? json(m.moe_layer_freq) : json(m.moe_layer_pattern); }},
    PPEMU_BOOL_KEY(M, "model", multi_latent_attention, "false", "DeepSeek's multi-latent attention (MLA)"),
    PPEMU_COUNT_KEY(M, "model", q_lora_rank, 1, 0, "none", "MLA query compression rank"),
    PPEMU_COUNT_KEY(M, "model", kv_lora_rank, 1, 0, "-", "MLA key/value compression rank"),
    PPEMU_COUNT_KEY(M, "model", qk_head_dim, 1, 0, "-", "MLA query/key head dimension without RoPE"),
    PPEMU_COUNT_KEY(M, "model", qk_pos_emb_head_dim, 1, 0, "-", "MLA RoPE head dimension"),
    PPEMU_COUNT_KEY(M, "model", v_head_dim, 1, 0, "-", "MLA value head dimension"),
    PPEMU_COUNT_KEY(M, "model", mtp_num_layers, 0, 0, "0", "multi-token-prediction layers (DeepSeek-V3: 1)"),
};

// "([0]*3+[1]*58)", "[0,1,1]" or "[1]*4": Megatron's --moe-layer-freq pattern text.
bool parse_pattern(std::string_view text, std::vector<int>& out) {
  std::string t;
  for (char ch : text)
    if (!std::isspace(static_cast<unsigned char>(ch))) t += ch;
  if (t.size() >= 2 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
  size_t i = 0;
  while (i < t.size()) {
    if (t[i] != '[') return false;
    const size_t close = t.find(']', i);
    if (close == std::string::npos) return false;
    std::vector<int> items;
    const std::string body = t.substr(i + 1, close - i - 1);
    for (size_t a = 0; a <= body.size();) {
      const size_t comma = std::min(body.find(',', a), body.size());
      const std::string item = body.substr(a, comma - a);
      if (item != "0" && item != "1") return false;
      items.push_back(item == "1");
      a = comma + 1;
    }
    i = close + 1;
    long repeat = 1;
    if (i < t.size() && t[i] == '*') {
      const size_t end = t.find_first_not_of("0123456789", i + 1);
      const std::string digits = t.substr(i + 1, (end == std::string::npos ? t.size() : end) - i - 1);
      if (digits.empty() || digits.size() > 6) return false;
      repeat = std::stol(digits);
      i = end == std::string::npos ? t.size() : end;
    }
    if (out.size() + items.size() * static_cast<size_t>(repeat) > 100000) return false;  // more layers than model.num_layers allows
    for (long r = 0; r < repeat; ++r) out.insert(out.end(), items.begin(), items.end());
    if (i < t.size()) {
      if (t[i] != '+') return false;
      ++i;
    }
  }
  return !out.empty();
}

Status set_moe_layer_freq(M& m, std::string_view key, const json& v) {
  if (v.is_array()) {
    std::vector<int> pattern;
    for (const json& item : v) {
      if (!(item.is_number_integer() && (item.get<int>() == 0 || item.get<int>() == 1)))
        return Error{std::string(key) + " lists must hold 0 (dense) or 1 (MoE) per layer (got " + show(item) + ")"};
      pattern.push_back(item.get<int>());
    }
    if (pattern.empty()) return Error{std::string(key) + " is an empty list; give one 0/1 per layer or a number k"};
    m.moe_layer_pattern = std::move(pattern);
    return {};
  }
  if (v.is_string()) {
    double k = 0;
    if (!as_number(v, k)) {
      std::vector<int> pattern;
      if (!parse_pattern(v.get<std::string>(), pattern))
        return Error{std::string(key) + " must be a number k, a 0/1 list or a pattern like \"([0]*3+[1]*58)\" (got " + show(v) + ")"};
      m.moe_layer_pattern = std::move(pattern);
      return {};
    }
  }
  if (Status st = set_count_from(m.moe_layer_freq, key, v, 1); !st.ok()) return st;
  m.moe_layer_pattern.clear();
  return {};
}

bool owns(std::string_view key) { return under(key, kPrefix); }
bool is_prefix(std::string_view path) { return path == kPrefix; }

Status apply(Config& c, std::string_view key, const json& v) {
  const SpecKey<M>* k = find_spec_key(kTable, key);
  if (!k) return unknown_key(key);
  if (!c.model) c.model.emplace();
  return k->set ? k->set(*c.model, key, v) : set_moe_layer_freq(*c.model, key, v);
}

std::string preset_list() {
  std::string list;
  for (const std::string& n : preset_names("model")) list += (list.empty() ? "" : ", ") + n;
  return list.empty() ? "" : " (presets: " + list + ")";
}

Status resolve(Config& c, const Limits&) {
  if (!c.model) return {};
  const M& m = *c.model;
  const std::pair<const char*, int> required[] = {{"num_layers", m.num_layers},     {"hidden_size", m.hidden_size},
                                                  {"num_attention_heads", m.num_attention_heads},
                                                  {"vocab_size", m.vocab_size}, {"seq_length", m.seq_length}};
  for (const auto& [name, value] : required)
    if (value <= 0)
      return Error{"the projection needs model." + std::string(name) + ": give model=NAME" + preset_list() + " or model." + name + "=..."};
  // Bounds that keep the projection's per-layer work and its integer figures small.
  if (Status st = check_count("model.num_layers", m.num_layers, 1, 100000); !st.ok()) return st;
  if (Status st = check_count("model.mtp_num_layers", m.mtp_num_layers, 0, 100); !st.ok()) return st;
  if (Status st = check_count("model.make_vocab_size_divisible_by", m.make_vocab_size_divisible_by, 1, 65536); !st.ok()) return st;
  if (m.num_query_groups > 0 && (m.num_query_groups > m.num_attention_heads || m.num_attention_heads % m.num_query_groups != 0))
    return Error{"model.num_query_groups (" + std::to_string(m.num_query_groups) + ") must divide model.num_attention_heads (" +
                 std::to_string(m.num_attention_heads) + ")"};
  if (!m.multi_latent_attention && m.kv_channels == 0 && m.hidden_size % m.num_attention_heads != 0)
    return Error{"model.hidden_size (" + std::to_string(m.hidden_size) + ") is not a multiple of model.num_attention_heads (" +
                 std::to_string(m.num_attention_heads) + "); give model.kv_channels (the head dimension)"};
  if (m.num_experts == 0) {
    const std::pair<const char*, bool> moe[] = {{"moe_router_topk", m.moe_router_topk > 0},
                                                {"moe_ffn_hidden_size", m.moe_ffn_hidden_size > 0},
                                                {"moe_shared_expert_intermediate_size", m.moe_shared_expert_intermediate_size > 0},
                                                {"moe_layer_freq", m.moe_layer_freq != 1 || !m.moe_layer_pattern.empty()}};
    for (const auto& [name, set] : moe)
      if (set)
        return Error{"model." + std::string(name) + " is an MoE key but model.num_experts is not set: give model.num_experts for an MoE model, or drop model." + name};
  } else {
    if (m.moe_router_topk > m.num_experts)
      return Error{"model.moe_router_topk (" + std::to_string(m.moe_router_topk) + ") is more than model.num_experts (" +
                   std::to_string(m.num_experts) + ")"};
    if (!m.moe_layer_pattern.empty() && static_cast<int>(m.moe_layer_pattern.size()) != m.num_layers)
      return Error{"model.moe_layer_freq gives " + std::to_string(m.moe_layer_pattern.size()) + " layers but model.num_layers is " +
                   std::to_string(m.num_layers) + "; give one 0/1 per layer"};
  }
  const std::pair<const char*, int> mla[] = {{"kv_lora_rank", m.kv_lora_rank},
                                             {"qk_head_dim", m.qk_head_dim},
                                             {"qk_pos_emb_head_dim", m.qk_pos_emb_head_dim},
                                             {"v_head_dim", m.v_head_dim}};
  for (const auto& [name, value] : mla) {
    if (m.multi_latent_attention && value <= 0)
      return Error{"model.multi_latent_attention needs model." + std::string(name)};
    if (!m.multi_latent_attention && value > 0)
      return Error{"model." + std::string(name) + " is a multi-latent attention key: set model.multi_latent_attention=true or drop it"};
  }
  if (!m.multi_latent_attention && m.q_lora_rank > 0)
    return Error{"model.q_lora_rank is a multi-latent attention key: set model.multi_latent_attention=true or drop it"};
  if (m.multi_latent_attention && m.num_query_groups > 0)
    return Error{"model.num_query_groups does not apply to multi-latent attention; drop it"};
  return {};
}

void write(const Config& c, json& j) {
  if (c.model) j["model"] = spec_json(kTable, *c.model, kPrefix);
}

void reset(Config& c) { c.model.reset(); }

}  // namespace

extern const KeyGroup kModelKeys;
const KeyGroup kModelKeys = {docs_of(kTable), owns, is_prefix, apply, resolve, write, "model", reset};

}  // namespace ppemu::detail
