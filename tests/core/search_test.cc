// The search: the ranking rule on a hand-made set (and against the definition by brute force),
// the enumeration and its ranges, skipped configurations counted, the settings' errors.
#include <random>

#include "helpers.h"
#include "ppemu/search.h"
#include "ppemu/strategy.h"

using namespace ppemu;

namespace {

SearchRow row(size_t index, double time, double peak) {
  SearchRow r;
  r.index = index;
  r.ran = true;
  r.time = time;
  r.peak_memory = peak;
  return r;
}

SearchSpec spec_of(std::initializer_list<std::string> config, std::vector<std::string> search) {
  Config base = test::config_of(config);
  Result<SearchSpec> s = make_search(base, search);
  INFO(s.error());
  REQUIRE(s.ok());
  return s.value();
}

std::string search_error(std::vector<std::string> search) {
  Result<SearchSpec> s = make_search(Config{}, search);
  REQUIRE_FALSE(s.ok());
  return s.error();
}

}  // namespace

TEST_CASE("the Pareto front and the ranking of a hand-made set") {
  // (time, peak):  0 (10,5)  1 (8,7)  2 (8,6)  3 (12,4)  4 (9,6)  5 (8,6)  6 did not run  7 (15,4)  8 (10,5)
  std::vector<SearchRow> rows = {row(0, 10, 5), row(1, 8, 7), row(2, 8, 6), row(3, 12, 4), row(4, 9, 6),
                                 row(5, 8, 6),  SearchRow{},  row(7, 15, 4), row(8, 10, 5)};
  rows[6].index = 6;
  const std::vector<size_t> order = rank_search(rows, std::nullopt);
  // By time, then memory, then index.
  CHECK(order == std::vector<size_t>{2, 5, 1, 4, 0, 8, 3, 7});
  CHECK(rows[2].rank == 1);
  CHECK(rows[7].rank == 8);
  CHECK(rows[6].rank == 0);
  // Front: 2 and 5 (equal, both kept), 0 and 8 (lighter than anything faster), 3 (the lightest).
  // Off it: 1 (2 is as fast and lighter), 4 (2 is faster and as light), 7 (3 is faster and as light).
  std::vector<size_t> front;
  for (const SearchRow& r : rows)
    if (r.pareto) front.push_back(r.index);
  CHECK(front == std::vector<size_t>{0, 2, 3, 5, 8});
  for (const SearchRow& r : rows) CHECK_FALSE(r.over_cap);

  // A cap of 5.5 puts 1, 2, 4, 5 over it; the front does not change.
  rank_search(rows, 5.5);
  std::vector<size_t> over;
  for (const SearchRow& r : rows)
    if (r.over_cap) over.push_back(r.index);
  CHECK(over == std::vector<size_t>{1, 2, 4, 5});
  CHECK(rows[0].pareto);
}

TEST_CASE("the front is exactly the rows no other row dominates, on random sets with ties") {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> small(1, 6);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<SearchRow> rows;
    for (size_t i = 0; i < 30; ++i) {
      rows.push_back(row(i, small(rng), small(rng) * 0.5));
      rows.back().ran = i % 7 != 3;
    }
    rank_search(rows, 2.0);
    for (const SearchRow& r : rows) {
      bool dominated = false;
      for (const SearchRow& q : rows)
        dominated = dominated || (q.ran && q.time <= r.time && q.peak_memory <= r.peak_memory &&
                                  (q.time < r.time || q.peak_memory < r.peak_memory));
      INFO("trial " << trial << " row " << r.index);
      CHECK(r.pareto == (r.ran && !dominated));
      CHECK(r.over_cap == (r.ran && r.peak_memory > 2.0));
    }
  }
}

TEST_CASE("vary=num_stages,num_batches enumerates 1 to 8 chunks and 1 to 16 microbatches per device") {
  SearchSpec s = spec_of({"num_devices=4"}, {"vary=num_stages,num_batches"});
  REQUIRE(s.vary.size() == 2);
  CHECK(s.vary[0].values_text == "1p..8p");
  CHECK(s.vary[1].values_text == "1p..16p");
  CHECK(s.strategies.size() == strategies().size());
  CHECK(s.count() == strategies().size() * 8 * 16);
  // Strategy outermost, the last key fastest.
  auto at = [&](size_t i) {
    Result<SearchConfiguration> c = search_configuration(s, i);
    REQUIRE(c.ok());
    return c.value();
  };
  CHECK(at(0).strategy == "gpipe");
  CHECK(at(0).values == std::vector<std::string>{"4", "4"});
  CHECK(at(1).values == std::vector<std::string>{"4", "8"});
  CHECK(at(16).values == std::vector<std::string>{"8", "4"});
  CHECK(at(127).values == std::vector<std::string>{"32", "64"});
  CHECK(at(128).strategy == strategies()[1]->name);
  CHECK(at(128).config.num_stages == 4);
  CHECK(at(127).config.num_batches == 64);
  CHECK_FALSE(search_configuration(s, s.count()).ok());
}

TEST_CASE("value ranges: lists, steps, factors, and multiples of the configuration's num_devices") {
  auto values = [](const std::string& key, const std::string& text, std::initializer_list<std::string> base = {}) {
    SearchSpec s = spec_of(base, {"strategies=1f1b", "vary." + key + "=" + text});
    std::vector<std::string> out;
    for (size_t i = 0; i < s.count(); ++i) out.push_back(search_configuration(s, i)->values[0]);
    return out;
  };
  CHECK(values("num_batches", "8..32:8") == std::vector<std::string>{"8", "16", "24", "32"});
  CHECK(values("num_batches", "8..30:8") == std::vector<std::string>{"8", "16", "24"});
  CHECK(values("num_batches", "1..16:*2") == std::vector<std::string>{"1", "2", "4", "8", "16"});
  CHECK(values("num_batches", "3,5..7") == std::vector<std::string>{"3", "5", "6", "7"});
  CHECK(values("num_batches", "[4,12]") == std::vector<std::string>{"4", "12"});
  CHECK(values("p2p_latency", "0..0.3:0.1") == std::vector<std::string>{"0", "0.1", "0.2", "0.3"});
  CHECK(values("zb_memory_limit", "1..2:0.25") == std::vector<std::string>{"1", "1.25", "1.5", "1.75", "2"});
  CHECK(values("num_stages", "2p,1p..3p:2", {"num_devices=3"}) == std::vector<std::string>{"6", "3", "9"});
  // `p` reads num_devices after the absolute values are applied, whatever the order in vary.
  SearchSpec s = spec_of({}, {"strategies=1f1b", "vary=num_stages,num_devices", "vary.num_stages=1p,2p", "vary.num_devices=2,4"});
  std::vector<std::pair<int, int>> got;
  for (size_t i = 0; i < s.count(); ++i) {
    const Config c = search_configuration(s, i)->config;
    got.emplace_back(c.num_stages, c.num_devices);
  }
  CHECK(got == std::vector<std::pair<int, int>>{{2, 2}, {4, 4}, {4, 2}, {8, 4}});
}

TEST_CASE("a configuration a strategy cannot run is skipped with its reason and counted") {
  // 1f1b runs at 4 stages only, interleave at 8 only (two or more per device).
  SearchSpec s = spec_of({}, {"strategies=1f1b,interleave", "vary.num_stages=4,8", "same_model=0"});
  SearchResult r = run_search(s);
  CHECK(r.rows.size() == 4);
  CHECK(r.ran == 2);
  CHECK(r.skipped == 2);
  CHECK_FALSE(r.rows[1].ran);
  CHECK(r.rows[1].skipped.find("1f1b needs num_stages equal to num_devices") == 0);
  CHECK(r.rows[2].skipped.find("interleave needs at least two stages per device") == 0);
  // Per stage as given: 1f1b 4 x 8 (33) before interleave 8 stages (57), which does twice the work.
  REQUIRE(r.ranking.size() == 2);
  CHECK(r.rows[r.ranking[0]].strategy == "1f1b");
  CHECK(r.rows[r.ranking[0]].time == 33);
  CHECK(r.rows[r.ranking[1]].time == 57);
  CHECK(r.best == 0);
}

TEST_CASE("memory_cap: the fastest row within it is the best, the others are marked") {
  // Default op_memory: 1f1b holds 4 at most, zb2p 7 (2p - 1), both with makespan 27 for zb2p and 33 for 1f1b.
  SearchSpec s = spec_of({}, {"strategies=1f1b,zb2p,zb_auto", "memory_cap=5", "vary=zb_memory_limit"});
  SearchResult r = run_search(s);
  // 1f1b and zb2p do not read zb_memory_limit: they run its first value only, the others repeat it.
  CHECK(r.ran == 1 + 1 + 5);
  CHECK(r.duplicates == 4 + 4);
  CHECK(r.rows[1].duplicate_of == 0);
  CHECK(r.rows[1].skipped == "1f1b does not read zb_memory_limit: the same run as configuration 0");
  const SearchRow& fastest = r.rows[r.ranking[0]];
  CHECK(fastest.time == 27);
  for (size_t i : r.ranking) CHECK(r.rows[i].over_cap == (r.rows[i].peak_memory > 5));
  REQUIRE(r.best >= 0);
  const SearchRow& best = r.rows[static_cast<size_t>(r.best)];
  CHECK(best.peak_memory <= 5);
  CHECK(best.time == 27);  // zb_auto at zb_memory_limit 1 (4 activations) is as fast as zb2p here
  CHECK(best.strategy == "zb_auto");
}

TEST_CASE("the JSON settings and the command-line keys give the same search") {
  SearchSpec a = spec_of({"num_devices=2", "op_times.backward_W=0.5"},
                         {"strategies=zb1p,zb_auto", "memory_cap=3", "vary=num_batches", "vary.zb_memory_limit=1,2"});
  Result<SearchSpec> b = search_from_json(
      R"({"num_devices": 2, "op_times": {"backward_W": 0.5}, "strategies": ["zb1p", "zb_auto"], "memory_cap": 3,
          "vary": ["num_batches"], "vary.zb_memory_limit": [1, 2]})");
  REQUIRE(b.ok());
  CHECK(search_keys(a) == search_keys(b.value()));
  CHECK(search_to_json(a, run_search(a)) == search_to_json(b.value(), run_search(b.value())));
}

TEST_CASE("bad search settings name the key and what would work") {
  auto [input, message] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"vary=p2p_latency"}, "vary lists 'p2p_latency', which has no default range; give its values, e.g. vary.p2p_latency=0,0.5,1"},
      {{"vary=strategy"}, "vary cannot take strategy: the search runs every strategy in strategies=... (all by default)"},
      {{"vary=num_batches,num_batches"}, "vary lists 'num_batches' twice"},
      {{"vary.num_batch=1,2"}, "vary.num_batch: unknown config key 'num_batch'; did you mean 'num_batches'?"},
      {{"vary.num_batches=8..4"},
       "vary.num_batches: '8..4' runs downwards; write LO..HI with LO <= HI (values are a list like 8,16,32 or ranges LO..HI, "
       "LO..HI:STEP, LO..HI:*FACTOR; 4p = 4 x num_devices)"},
      {{"vary.num_batches=1p..8"},
       "vary.num_batches: '1p..8' has `p` on one end only (values are a list like 8,16,32 or ranges LO..HI, LO..HI:STEP, "
       "LO..HI:*FACTOR; 4p = 4 x num_devices)"},
      {{"vary.num_batches=2.5"}, "vary.num_batches: num_batches must be a whole number (got 2.5)"},
      {{"vary.num_batches=1..9:0"},
       "vary.num_batches: '1..9:0' needs a step > 0 (values are a list like 8,16,32 or ranges LO..HI, LO..HI:STEP, "
       "LO..HI:*FACTOR; 4p = 4 x num_devices)"},
      {{"strategies=zb1,1f1b"}, "strategies: unknown strategy 'zb1'; did you mean 'zb1p'? (all, or names from --list-strategies, comma-separated)"},
      {{"strategies=1f1b,pipedream_flush"}, "strategies lists '1f1b' twice"},
      {{"memory_cap=-1"}, "memory_cap must be a number > 0 in op_memory units, or none (got '-1')"},
      {{"vary.num_batches=1..1000", "vary.num_stages=1..1000"},
       "the search would run more than 1000000 configurations; vary fewer keys, give fewer values or fewer strategies"},
  }));
  INFO(input[0]);
  CHECK(search_error(input) == message);
}

TEST_CASE("same_model (the default) runs every split of the same model: op times and memory x num_devices / num_stages") {
  // Issue 9's comparison at 4 devices, 8 microbatches, F = 1, B = 2: per stage as given zbv (8
  // stages) takes 51 against 1f1b's 33; the same model halves zbv's stages, and it takes 25.5.
  SearchSpec s = spec_of({}, {"strategies=1f1b,interleave,zbv", "vary.num_stages=4,8"});
  CHECK(same_model_stages(s) == 4);
  SearchResult r = run_search(s);
  REQUIRE(r.ran == 3);
  const SearchRow& first = r.rows[r.ranking[0]];
  CHECK(first.strategy == "zbv");
  CHECK(first.time == 25.5);
  CHECK(first.scale == 0.5);
  const SearchRow& f1b = r.rows[0];
  CHECK(f1b.time == 33);
  CHECK(f1b.scale == 1);
  // interleave: 57 and 11 activations per stage as given, halved (each is half a device's share).
  const SearchRow& il = r.rows[3];
  CHECK(il.strategy == "interleave");
  CHECK(il.time == 28.5);
  CHECK(il.peak_memory == 5.5);
  // A base model_stages wins over num_devices; same_model=0 runs the values as given.
  CHECK(same_model_stages(spec_of({"model_stages=8"}, {"vary.num_stages=4,8"})) == 8);
  CHECK(same_model_stages(spec_of({}, {"same_model=0"})) == 0);
  CHECK(search_error({"same_model=maybe"}).find("same_model must be 1") == 0);
  // Projected, each stage's times follow its layers: no scaling, and the figures are ms and bytes.
  SearchSpec projected = spec_of({"model=gpt3_175b", "gpu=a100_80gb", "num_devices=8", "num_stages=24", "strategy=interleave",
                                  "parallel.tensor_model_parallel_size=8", "train.global_batch_size=64"},
                                 {"strategies=1f1b,interleave", "vary.num_stages=8,24"});
  CHECK(same_model_stages(projected) == 0);
  CHECK(search_units(projected).time == "ms");
  CHECK(search_units(projected).memory == "bytes");
  SearchResult pr = run_search(projected);
  REQUIRE(pr.ran == 2);
  for (size_t i : pr.ranking) CHECK(pr.rows[i].scale == 1);
}

TEST_CASE("model_stages scales op times, activation, after_B and static memory once, at resolve") {
  // Static memory is a stage's weights and optimizer state: half the model per stage is half of it.
  Config c = test::config_of({"strategy=interleave", "num_stages=8", "model_stages=4", "op_times.forward=[2,2,2,2,2,2,2,4]",
                              "op_memory.activation=3", "op_memory.after_B=1", "op_memory.static=10"});
  REQUIRE(resolve(c).ok());
  CHECK(c.model_stages == 0);  // applied: the resolved config reads back as the same run
  CHECK(c.op_times.forward.at(0) == 1);
  CHECK(c.op_times.forward.at(7) == 2);
  CHECK(c.op_times.backward.at(0) == 1);
  CHECK(c.op_memory.activation.at(3) == 1.5);
  CHECK(c.op_memory.after_B_at(3) == 0.5);
  CHECK(c.op_memory.static_memory.at(5) == 5);
  Result<Run> run = simulate(test::config_of({"strategy=interleave", "num_stages=8", "model_stages=4"}));
  REQUIRE(run.ok());
  CHECK(run->metrics.makespan == 28.5);

  // A projection sizes each stage from its layers: scaling would mix two models.
  Config projected = test::config_of({"model=gpt3_175b", "gpu=a100_80gb", "num_devices=8", "num_stages=24", "strategy=interleave",
                                      "parallel.tensor_model_parallel_size=8", "train.global_batch_size=64"});
  REQUIRE(simulate(projected).ok());
  REQUIRE(apply_override(projected, "model_stages", "8").ok());
  Result<Run> refused = simulate(projected);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find("model_stages does not apply to a projected run") == 0);
}
