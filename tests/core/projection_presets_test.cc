// The model and gpu presets (conf/model, conf/gpu): parameter counts against the published
// totals, and the config-group mechanics (preset first, explicit keys over it, switching resets).
#include "helpers.h"
#include "ppemu/presets.h"

using namespace ppemu;
using Catch::Matchers::WithinRel;

namespace {

// A one-GPU, one-stage projection of `model`: enough for the model-wide figures.
Projection one_gpu(const std::string& model, std::initializer_list<std::string> extra = {}) {
  Config c = test::config_of({"model=" + model, "gpu=a100_80gb", "num_devices=1", "num_stages=1", "num_batches=1"});
  for (const auto& a : extra) REQUIRE(apply_assignment(c, a).ok());
  Run r = test::run_of(c);
  REQUIRE(r.projection.has_value());
  return *r.projection;
}

}  // namespace

TEST_CASE("preset parameter counts match the published totals") {
  struct Published {
    const char* model;
    double total;       // parameters
    double tolerance;   // relative: the source's rounding
    const char* source;
  };
  const Published cases[] = {
      {"gpt3_175b", 175.0e9, 0.005, "Brown et al. 2020 Table 2.1: 175.0B"},
      {"llama3_8b", 8030261248, 1e-9, "meta-llama/Meta-Llama-3-8B safetensors: 8,030,261,248"},
      {"llama3_70b", 70553706496, 1e-9, "meta-llama/Meta-Llama-3-70B: 70,553,706,496"},
      {"llama3_405b", 405853388800, 1e-9, "meta-llama/Llama-3.1-405B: 405,853,388,800"},
      {"mixtral_8x7b", 46702792704, 1e-9, "mistralai/Mixtral-8x7B-v0.1: 46,702,792,704"},
      {"gpt_22b", 22e9, 0.01, "Korthikanti et al. 2022 Table 3: 22B"},
      // Narayanan et al. 2021 Table 1, to its one decimal.
      {"gpt_1p7b", 1.7e9, 0.05 / 1.7, "SC21 Table 1"},
      {"gpt_3p6b", 3.6e9, 0.05 / 3.6, "SC21 Table 1"},
      {"gpt_7p5b", 7.5e9, 0.05 / 7.5, "SC21 Table 1"},
      {"gpt_18b", 18.4e9, 0.05 / 18.4, "SC21 Table 1"},
      {"gpt_39b", 39.1e9, 0.05 / 39.1, "SC21 Table 1"},
      {"gpt_76b", 76.1e9, 0.05 / 76.1, "SC21 Table 1"},
      {"gpt_145b", 145.6e9, 0.05 / 145.6, "SC21 Table 1"},
      {"gpt_310b", 310.1e9, 0.05 / 310.1, "SC21 Table 1"},
      {"gpt_530b", 529.6e9, 0.05 / 529.6, "SC21 Table 1"},
      {"gpt_1t", 1008.0e9, 0.05 / 1008.0, "SC21 Table 1"},
  };
  for (const Published& p : cases) {
    INFO(p.model << ": " << p.source);
    CHECK_THAT(one_gpu(p.model).num_parameters, WithinRel(p.total, p.tolerance));
  }
}

TEST_CASE("MoE presets: total and active parameters as their papers state") {
  // Mixtral: 46.7B, 12.9B active (Jiang et al. 2024 §1; the top-2 of 8 experts).
  const Projection mixtral = one_gpu("mixtral_8x7b");
  CHECK_THAT(mixtral.num_active_parameters, WithinRel(12.9e9, 0.005));
  // DeepSeek-V3: 671B in the main model, 37B active (report §1); with its MTP module the model
  // card's 685B (the module shares embedding and head, so ppemu counts 11.6B of the card's 14B).
  const Projection main_model = one_gpu("deepseek_v3", {"model.mtp_num_layers=0"});
  CHECK_THAT(main_model.num_parameters, WithinRel(671e9, 0.001));
  CHECK_THAT(main_model.num_active_parameters, WithinRel(37e9, 0.02));
  CHECK_THAT(one_gpu("deepseek_v3").num_parameters, WithinRel(685e9, 0.005));
}

TEST_CASE("every preset of conf/model and conf/gpu is registered, described and runs") {
  const std::vector<std::string> models = preset_names("model");
  const std::vector<std::string> gpus = preset_names("gpu");
  for (const char* m : {"gpt3_175b", "llama3_8b", "llama3_70b", "llama3_405b", "deepseek_v3", "mixtral_8x7b", "gpt_1p7b", "gpt_1t"})
    CHECK(std::find(models.begin(), models.end(), m) != models.end());
  for (const char* g : {"a100_40gb", "a100_80gb", "h100_sxm", "h200", "b200", "mi300x"})
    CHECK(std::find(gpus.begin(), gpus.end(), g) != gpus.end());
  for (const std::string& m : models) {
    INFO(m);
    CHECK_FALSE(find_preset("model", m)->description.empty());
    CHECK(one_gpu(m).num_parameters > 0);
  }
  for (const std::string& g : gpus) {
    INFO(g);
    CHECK_FALSE(find_preset("gpu", g)->description.empty());
    Config c = test::config_of({"model=llama3_8b", "gpu=" + g, "num_devices=1", "num_stages=1", "num_batches=1"});
    CHECK(test::run_of(c).projection->iteration_time_ms > 0);
  }
}

TEST_CASE("a preset applies first and explicit keys win, whatever their order in a JSON object") {
  for (const char* text : {R"({"model.num_layers": 4, "model": "gpt3_175b"})", R"({"model": "gpt3_175b", "model.num_layers": 4})",
                           R"({"model": {"num_layers": 4}, "choices": {"model": "gpt3_175b"}})"}) {
    INFO(text);
    Config c;
    REQUIRE(apply_json(c, text).ok());
    CHECK(c.model->num_layers == 4);
    CHECK(c.model->hidden_size == 12288);
    CHECK(c.choices.at("model") == "gpt3_175b");
  }
}

TEST_CASE("switching presets resets the group: no MoE or MLA key of deepseek_v3 survives into llama3_8b") {
  Config c = test::config_of({"model=deepseek_v3", "model=llama3_8b"});
  CHECK(c.model->num_experts == 0);
  CHECK(c.model->moe_layer_pattern.empty());
  CHECK_FALSE(c.model->multi_latent_attention);
  CHECK(c.model->kv_lora_rank == 0);
  CHECK(c.model->mtp_num_layers == 0);
  CHECK(c.model->num_query_groups == 8);
  CHECK(c.choices.at("model") == "llama3_8b");
  // And a key set before a selection is lost with the rest of the group, as in Hydra.
  Config before = test::config_of({"model.num_layers=3", "model=llama3_8b"});
  CHECK(before.model->num_layers == 32);
  // model=null clears the group: the run is abstract again.
  Config cleared = test::config_of({"model=llama3_8b", "model=null"});
  CHECK_FALSE(cleared.projected());
  CHECK(cleared.choices.count("model") == 0);
}

TEST_CASE("an unknown preset lists the presets of its group") {
  Config c;
  const std::string error = apply_assignment(c, "gpu=h100").error();
  CHECK(error.find("unknown gpu preset 'h100'") == 0);
  CHECK(error.find("presets: a100_40gb, a100_80gb, b200, h100_sxm, h200, mi300x") != std::string::npos);
  CHECK(apply_assignment(c, "model=lama3_8b").error().find("did you mean 'llama3_8b'") != std::string::npos);
}

TEST_CASE("choices and every projection key round-trip through config_to_json") {
  Config c = test::config_of({"model=deepseek_v3", "gpu=h100_sxm", "num_devices=4", "num_stages=4", "model.hidden_size=7680",
                              "parallel.expert_model_parallel_size=8", "parallel.data_parallel_size=8",
                              "parallel.pipeline_model_parallel_layout=Et*15|t*16|t*16|t*14mL", "train.global_batch_size=64",
                              "train.recompute_granularity=selective"});
  INFO(resolve(c).error());
  REQUIRE(resolve(c).ok());
  const std::string text = config_to_json(c);
  Config back;
  REQUIRE(apply_json(back, text).ok());
  REQUIRE(resolve(back).ok());
  CHECK(config_to_json(back) == text);
  CHECK(back.choices == c.choices);
  CHECK(back.model->hidden_size == 7680);
  CHECK(back.parallel.pipeline_model_parallel_layout == std::vector<int>{15, 16, 16, 14});
  CHECK(back.num_batches == 8);
  // The projected op times are not written: read back, the projection recomputes them.
  Run run = test::run_of(c);
  const std::string written = config_to_json(run.config);
  CHECK(written.find("\"op_times\"") == std::string::npos);
  CHECK(written.find("\"p2p_latency\"") == std::string::npos);
  CHECK(test::run_of(back).metrics.makespan == run.metrics.makespan);
}
