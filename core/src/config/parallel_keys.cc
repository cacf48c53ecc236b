// parallel.*: the parallel dimensions besides the pipeline (which is num_devices), and how the
// layers are split over the pipeline's stages, with Megatron-LM's argument names.
#include <algorithm>

#include <cctype>

#include "config/spec_keys.h"

namespace ppemu::detail {
namespace {

constexpr std::string_view kPrefix = "parallel";
using P = ParallelSpec;

// "x*n" and "(...)*n" written out, innermost groups first. Bounded: a layout is a few thousand
// letters, so anything past a million is refused before it can exhaust memory.
Status expand_repeats(std::string_view key, std::string& text) {
  constexpr size_t kMaxLength = 1000000;
  auto count_after = [&](size_t star, int& n, size_t& end) {
    end = star + 1;
    while (end < text.size() && end - star <= 6 && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    if (end == star + 1 || end - star > 6) return false;
    n = std::stoi(text.substr(star + 1, end - star - 1));
    return true;
  };
  auto repeated = [&](const std::string& unit, int n) -> Result<std::string> {
    if (unit.size() * static_cast<size_t>(n) + text.size() > kMaxLength)
      return Error{std::string(key) + " expands to more than a million letters"};
    std::string out;
    for (int i = 0; i < n; ++i) out += unit;
    return out;
  };
  for (size_t close; (close = text.find(')')) != std::string::npos;) {
    const size_t open = text.rfind('(', close);
    int n = 0;
    size_t end = 0;
    if (open == std::string::npos || close + 1 >= text.size() || text[close + 1] != '*' || !count_after(close + 1, n, end))
      return Error{std::string(key) + ": a group must read (...)*n, e.g. (t*4|)*6"};
    Result<std::string> body = repeated(text.substr(open + 1, close - open - 1), n);
    if (!body.ok()) return body.status();
    text = text.substr(0, open) + body.value() + text.substr(end);
  }
  if (text.find('(') != std::string::npos) return Error{std::string(key) + ": a '(' is never closed"};
  for (size_t star; (star = text.find('*')) != std::string::npos;) {
    int n = 0;
    size_t end = 0;
    if (star == 0 || !count_after(star, n, end)) return Error{std::string(key) + ": a repeat must read x*n, e.g. t*4"};
    Result<std::string> body = repeated(text.substr(star - 1, 1), n);
    if (!body.ok()) return body.status();
    text = text.substr(0, star - 1) + body.value() + text.substr(end);
  }
  return {};
}

// Megatron's layout text (--pipeline-model-parallel-layout), e.g. "Et*3|(tt|)*29,m|L": stages in
// pipeline order separated by '|', E the embedding, t a transformer layer, m an MTP layer, L the
// loss; "(...)*n" and "x*n" repeat; commas are cosmetic. ppemu keeps the embedding on the first
// stage and the loss (and MTP) on the last, so the text reduces to transformer layers per stage.
Status parse_layout_text(std::string_view key, const std::string& input, std::vector<int>& counts) {
  std::string text;
  for (char ch : input)
    if (ch != ',' && ch != ' ') text += ch;
  if (Status st = expand_repeats(key, text); !st.ok()) return st;
  std::vector<std::string> stages(1);
  for (char ch : text) {
    if (ch == '|') {
      stages.emplace_back();
    } else if (ch == 'E' || ch == 't' || ch == 'm' || ch == 'L') {
      stages.back() += ch;
    } else {
      return Error{std::string(key) + " has " + quote(std::string(1, ch)) +
                   "; Megatron's layout uses E (embedding), t (layer), m (MTP layer), L (loss), '|' between stages, (...)*n and x*n"};
    }
  }
  counts.clear();
  for (size_t s = 0; s < stages.size(); ++s) {
    const std::string& st = stages[s];
    const bool last = s + 1 == stages.size();
    if (st.find('E') != std::string::npos && s != 0)
      return Error{std::string(key) + " puts the embedding (E) on stage " + std::to_string(s) + "; ppemu keeps it on stage 0"};
    if ((st.find('L') != std::string::npos || st.find('m') != std::string::npos) && !last)
      return Error{std::string(key) + " puts the loss or an MTP layer (L, m) on stage " + std::to_string(s) +
                   "; ppemu keeps them on the last stage"};
    counts.push_back(static_cast<int>(std::count(st.begin(), st.end(), 't')));
  }
  if (stages.front().find('E') == std::string::npos || stages.back().find('L') == std::string::npos)
    return Error{std::string(key) + " must start with E (embedding) and end with L (loss), as Megatron's layout does"};
  return {};
}

Status set_layout(P& p, std::string_view key, const json& v) {
  if (v.is_null()) {
    p.pipeline_model_parallel_layout.clear();
    return {};
  }
  if (v.is_string()) return parse_layout_text(key, v.get<std::string>(), p.pipeline_model_parallel_layout);
  if (!v.is_array() || v.empty())
    return Error{std::string(key) + " must be a list of layers per stage ([3,4,4,3]) or Megatron's layout text (\"Et*3|(t*4|)*2t*3L\")"};
  std::vector<int> counts;
  for (size_t i = 0; i < v.size(); ++i) {
    int n = 0;
    if (Status st = set_count_from(n, std::string(key) + "[" + std::to_string(i) + "]", v[i], 0); !st.ok()) return st;
    counts.push_back(n);
  }
  p.pipeline_model_parallel_layout = std::move(counts);
  return {};
}

const std::vector<SpecKey<P>> kTable = {
    PPEMU_COUNT_KEY(P, "parallel", tensor_model_parallel_size, 1, -1, "1", "tensor-parallel GPUs per stage t"),
    PPEMU_COUNT_KEY(P, "parallel", data_parallel_size, 1, -1, "1", "data-parallel replicas of the pipeline d"),
    PPEMU_BOOL_KEY(P, "parallel", sequence_parallel, "false", "split norms, dropout and activations along the sequence (needs t > 1)"),
    PPEMU_BOOL_KEY(P, "parallel", use_distributed_optimizer, "false", "shard optimizer state over data parallelism (6 + 12/d bytes/param)"),
    PPEMU_COUNT_KEY(P, "parallel", expert_model_parallel_size, 1, -1, "1", "GPUs the experts of a layer are spread over (within d)"),
    PPEMU_BOOL_KEY(P, "parallel", overlap_grad_reduce, "false", "reduce gradients under the last microbatch's backward"),
    {{"parallel.pipeline_model_parallel_layout", "even", "layers per stage: [3,4,4,3] or Megatron's \"Et*3|(t*4|)*2t*3L\""},
     set_layout,
     [](const P& p) { return p.pipeline_model_parallel_layout.empty() ? json(nullptr) : json(p.pipeline_model_parallel_layout); }},
    PPEMU_COUNT_KEY(P, "parallel", decoder_first_pipeline_num_layers, 0, 0, "even", "layers of the first stage; the rest split evenly"),
    PPEMU_COUNT_KEY(P, "parallel", decoder_last_pipeline_num_layers, 0, 0, "even", "layers of the last stage; the rest split evenly"),
};

bool owns(std::string_view key) { return under(key, kPrefix); }
bool is_prefix(std::string_view path) { return path == kPrefix; }

Status apply(Config& c, std::string_view key, const json& v) {
  const SpecKey<P>* k = find_spec_key(kTable, key);
  if (!k) return unknown_key(key);
  c.parallel.given = true;
  return k->set(c.parallel, key, v);
}

Status resolve(Config& c, const Limits&) {
  if (!c.model && c.parallel.given)
    return Error{"parallel.* keys describe a projection's layout, which needs a model: give model=NAME or model.* keys, or drop the parallel keys"};
  const ParallelSpec& p = c.parallel;
  // A million GPUs in one dimension is beyond any cluster; the bound keeps the products exact.
  constexpr int kMax = 1 << 20;
  for (const auto& [key, value] : {std::pair<const char*, int>{"parallel.tensor_model_parallel_size", p.tensor_model_parallel_size},
                                   {"parallel.data_parallel_size", p.data_parallel_size},
                                   {"parallel.expert_model_parallel_size", p.expert_model_parallel_size}})
    if (Status st = check_count(key, value, 1, kMax); !st.ok()) return st;
  return {};
}

void write(const Config& c, json& j) {
  if (c.model) j["parallel"] = spec_json(kTable, c.parallel, kPrefix);
}

}  // namespace

extern const KeyGroup kParallelKeys;
const KeyGroup kParallelKeys = {docs_of(kTable), owns, is_prefix, apply, resolve, write};

}  // namespace ppemu::detail
