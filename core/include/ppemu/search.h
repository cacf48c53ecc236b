#pragma once
// The search for the fastest configuration under a memory cap: every strategy (or a given list)
// times every combination of the varied keys' values, each emulated, ranked by time with peak
// memory beside it and the Pareto front marked. The CLI (--search), the WASM module and the page's
// worker pool all enumerate and rank with these functions, so they agree row for row.
//
// Settings are keys, like the config's (the page puts them in its URL):
//   strategies=all | NAME,NAME,...    which strategies (names or aliases); all = the registry's order
//   memory_cap=X                      peak memory above X (op_memory units; bytes when projected) is over the cap
//   vary=KEY,KEY,...                  the keys to vary, outermost first; each takes vary.KEY or its default range
//   vary.KEY=VALUES                   the values of KEY (and KEY is varied even if vary does not list it)
//   same_model=1 | 0                  1 (default): every configuration runs the same model (below)
// VALUES is a comma-separated list of items: a value (`16`, `0.5`, a word), a range `LO..HI`
// (step 1), `LO..HI:STEP` or `LO..HI:*FACTOR`, each inclusive of HI when a step lands on it. An
// item whose numbers end in `p` counts in multiples of the configuration's num_devices: `4p`,
// `1p..8p` = num_devices, 2 num_devices, ..., 8 num_devices (the step of a `p` range is a multiple too).
// Default ranges: num_stages 1p..8p (1 to 8 chunks per device), num_batches 1p..16p,
// num_devices 2..32:*2, zb_memory_limit 1..2:0.25; other keys need vary.KEY.
//
// Same model: op times and op memory are per stage, so at fixed values a strategy that cuts the
// model into more stages (interleaving's v p, a V's 2p) does more work and holds more memory per
// device, and ranks last for it. With same_model=1 (the default, in abstract units) every
// configuration runs with model_stages = the base's model_stages, or else its num_devices: the
// values given are one device's share of the model, and a configuration of num_stages stages
// gives each stage model_stages / num_stages of them (the page's compare mode applies the same factor
// to op times, in JS).
// same_model=0 runs the values per stage as given (and clears model_stages). A projection makes
// each stage's times and sizes follow its layers, so no scaling applies there.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu {

/// One value of a varied key: text as `key=value` takes it, or a multiple of num_devices.
struct SearchValue {
  std::string text;       ///< used when per_device == 0
  int per_device = 0;     ///< > 0: the value is per_device x the configuration's num_devices
  std::string shown(int num_devices) const { return per_device > 0 ? std::to_string(per_device * num_devices) : text; }
};

struct SearchDimension {
  std::string key;                  ///< a config key: num_stages, zb_memory_limit, op_times.backward_W, ...
  std::string values_text;          ///< as given (or the default range), for echoing the settings
  std::vector<SearchValue> values;
};

struct SearchSpec {
  Config base;                           ///< every configuration starts from it (not resolved)
  std::vector<std::string> strategies;   ///< canonical names, in the order given (registry order for all)
  std::string strategies_text = "all";   ///< as given
  std::optional<double> memory_cap;
  std::vector<SearchDimension> vary;     ///< outermost first
  bool same_model = true;                ///< as asked; same_model_stages() says whether it applies

  /// strategies x the product of the dimensions' value counts.
  size_t count() const;
};

/// The model_stages each configuration runs with: 0 (per-stage values as given) unless same_model
/// applies (abstract units), then the base's model_stages or its num_devices.
int same_model_stages(const SearchSpec& spec);

/// What the figures are in: time in op_times units and memory in op_memory units, or ms and
/// bytes once a projection sets them.
struct SearchUnits {
  std::string time = "units";    ///< "units" or "ms"
  std::string memory = "units";  ///< "units" or "bytes"
};
SearchUnits search_units(const SearchSpec& spec);

/// The most configurations one search may enumerate.
constexpr size_t kMaxSearchConfigurations = 1000000;

/// The op budget of each configuration in a search, natively and in the page alike (the page's
/// own budget, 2^21 estimated ops), so both skip the same configurations.
Limits search_limits();

/// Whether `key` is one of the search's own keys (strategies, memory_cap, vary, vary.KEY, same_model).
bool is_search_key(std::string_view key);

/// The search keys with their defaults and meaning (for --help and the page).
const std::vector<KeyDoc>& search_key_docs();

/// Builds a search from a base config and the search keys as `key=value` text (the command line).
/// Errors name the key and what would work.
Result<SearchSpec> make_search(Config base, const std::vector<std::string>& search_assignments);

/// The same from one JSON object holding config keys and search keys (nested or dotted; the page's
/// and the WASM module's form). `vary` may be a string or an array of keys, `vary.KEY` a string
/// or an array of values, `strategies` a string or an array of names.
Result<SearchSpec> search_from_json(std::string_view settings_json);

/// Configuration `index` (0 <= index < count()): strategy outermost, then the dimensions in vary
/// order, the last varying fastest. `values` receives each dimension's value as applied.
/// The config is not resolved (simulate resolves it).
struct SearchConfiguration {
  size_t index = 0;
  std::string strategy;
  std::vector<std::string> values;  ///< one per dimension, as applied (`p` items as numbers)
  Config config;
};
Result<SearchConfiguration> search_configuration(const SearchSpec& spec, size_t index);

/// The configuration that `index` repeats, if any: a varied key that only some strategies read
/// (Strategy::reads) changes nothing for the others, so for them only its first value runs and
/// the rest point at that configuration.
std::optional<size_t> search_duplicate_of(const SearchSpec& spec, size_t index);

/// One configuration's figures: what a ranking and a scatter plot need, no op columns.
struct SearchRow {
  size_t index = 0;
  std::string strategy;
  std::vector<std::string> values;
  bool ran = false;
  std::string skipped;         ///< why it did not run (its constraint message), when !ran
  long duplicate_of = -1;      ///< when it repeats another configuration (search_duplicate_of), that one's index
  double time = 0;             ///< what the ranking orders by: Run::iteration_time (the makespan unless projected)
  double scale = 1;            ///< the factor its op times and op memory ran at: model_stages / num_stages, or 1
  double makespan = 0;
  double peak_memory = 0;      ///< max over devices (op_memory units; bytes when projected)
  int peak_activations = 0;
  double bubble_ratio = 0;
  double span_bubble_ratio = 0;
  size_t num_ops = 0;
  // Set by rank_search:
  int rank = 0;                ///< 1 = fastest; 0 for rows that did not run
  bool pareto = false;
  bool over_cap = false;
};

/// Emulates configuration `index`. A configuration its strategy cannot run (an unmet constraint,
/// the op budget) is a row with ran = false and the reason, never an error.
SearchRow run_search_configuration(const SearchSpec& spec, size_t index, const Limits& limits = search_limits());

/// The ranking rule (the page applies it to partial results through the same function):
/// - only rows that ran take part; they are ordered by (time, peak_memory, index), ascending, and
///   rank is the 1-based position in that order;
/// - pareto: no other row that ran has time <= and peak_memory <= with at least one of them
///   strictly less (rows equal in both are all on the front); compared exactly, no tolerance;
/// - over_cap: memory_cap is given and peak_memory > memory_cap (the front ignores the cap).
/// Returns the positions of the rows that ran, in rank order.
std::vector<size_t> rank_search(std::vector<SearchRow>& rows, std::optional<double> memory_cap);

struct SearchResult {
  std::vector<SearchRow> rows;        ///< every configuration, in index order
  std::vector<size_t> ranking;        ///< positions in rows of those that ran, fastest first
  size_t ran = 0;
  size_t skipped = 0;     ///< a constraint of the strategy does not hold (or the op budget)
  size_t duplicates = 0;  ///< the same run as another configuration; ran + skipped + duplicates = rows

  /// The first row in rank order within the cap (every row when no cap), or -1 if none.
  long best = -1;
};

/// Runs every configuration and ranks them.
SearchResult run_search(const SearchSpec& spec, const Limits& limits = search_limits());

/// The search keys as given, in their canonical text (strategies, memory_cap, vary, vary.KEY, same_model).
std::vector<std::pair<std::string, std::string>> search_keys(const SearchSpec& spec);

/// One JSON object: `search` (the settings), `config` (the base), `units`, `model_stages` (what
/// same_model set, or null), `count`, `ran`, `skipped`,
/// `duplicates`, `skipped_by_strategy` (constraint skips), `best` (a configuration index or null),
/// `rows` (those that ran, in rank order) and `skipped_rows` (every other row in index order, with
/// the reason; a duplicate also has `duplicate_of`). Row fields as SearchRow; `values` is an object
/// key -> value. The CLI's --search --format json and the page's export are this text.
std::string search_to_json(const SearchSpec& spec, const SearchResult& result, int indent = -1);

/// One row as a JSON object (the WASM module's row, the elements of search_to_json's lists).
std::string search_row_json(const SearchSpec& spec, const SearchRow& row);

/// Rows back from a JSON array of such objects, as much as ranking needs: index, ran, time,
/// peak_memory (the page hands back what its workers returned, in any order, any subset).
Result<std::vector<SearchRow>> search_rows_from_json(std::string_view rows_json);

}  // namespace ppemu
