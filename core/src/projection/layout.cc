#include "projection/layout.h"

#include <numeric>
#include <string>

namespace ppemu::projection {

Result<std::vector<StageLayers>> stage_layers(const Config& c) {
  const ParallelSpec& par = c.parallel;
  const int L = c.model->num_layers, S = c.num_stages;
  std::vector<int> counts;
  if (!par.pipeline_model_parallel_layout.empty()) {
    if (par.decoder_first_pipeline_num_layers > 0 || par.decoder_last_pipeline_num_layers > 0)
      return Error{"give parallel.pipeline_model_parallel_layout or parallel.decoder_first/last_pipeline_num_layers, not both"};
    counts = par.pipeline_model_parallel_layout;
    if (static_cast<int>(counts.size()) != S)
      return Error{"parallel.pipeline_model_parallel_layout gives " + std::to_string(counts.size()) + " stages but num_stages is " +
                   std::to_string(S) + "; give one layer count per stage"};
    const long total = std::accumulate(counts.begin(), counts.end(), 0L);
    if (total != L)
      return Error{"parallel.pipeline_model_parallel_layout covers " + std::to_string(total) + " layers but model.num_layers is " +
                   std::to_string(L) + "; the counts must add up to it"};
  } else if (par.decoder_first_pipeline_num_layers > 0 || par.decoder_last_pipeline_num_layers > 0) {
    const long first = par.decoder_first_pipeline_num_layers, last = par.decoder_last_pipeline_num_layers;
    const long fixed = (first > 0) + (last > 0);
    const long middle = S - fixed, rest = L - first - last;
    if (middle < 0 || (middle == 0 && rest != 0) || rest < 0)
      return Error{"parallel.decoder_first/last_pipeline_num_layers (" + std::to_string(first) + ", " + std::to_string(last) +
                   ") do not fit " + std::to_string(L) + " layers on " + std::to_string(S) + " stages"};
    if (middle > 0 && rest % middle != 0)
      return Error{"after parallel.decoder_first/last_pipeline_num_layers, " + std::to_string(rest) + " layers do not split evenly over the other " +
                   std::to_string(middle) + " stages; adjust them or give parallel.pipeline_model_parallel_layout"};
    counts.assign(static_cast<size_t>(S), middle > 0 ? static_cast<int>(rest / middle) : 0);
    if (first > 0) counts.front() = static_cast<int>(first);
    if (last > 0) counts.back() = static_cast<int>(last);
  } else {
    if (L % S != 0)
      return Error{"model.num_layers (" + std::to_string(L) + ") does not split evenly over num_stages (" + std::to_string(S) +
                   "); give parallel.pipeline_model_parallel_layout (layers per stage) or parallel.decoder_first/last_pipeline_num_layers"};
    counts.assign(static_cast<size_t>(S), L / S);
  }
  std::vector<StageLayers> stages;
  int next = 0;
  for (int s = 0; s < S; ++s) {
    const int k = counts[static_cast<size_t>(s)];
    if (k == 0 && s != 0 && s != S - 1)
      return Error{"stage " + std::to_string(s) + " would hold no layers; every stage but the first and the last needs at least one"};
    if (k == 0 && S == 1) return Error{"the only stage would hold no layers"};
    stages.push_back({next, k});
    next += k;
  }
  return stages;
}

}  // namespace ppemu::projection
