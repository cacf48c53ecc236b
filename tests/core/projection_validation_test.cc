// The validation table (bench/validation/runs.json, printed by bench/validation.mjs) as a test:
// every published run stays within 10% of ppemu's projection, and the mean within 5%, so a change
// to the model or its defaults that loses the papers fails here.
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "helpers.h"
#include "ppemu/export.h"

using namespace ppemu;

namespace {

double pick(const nlohmann::json& doc, const std::string& metric) {
  const size_t slash = metric.find('/');
  if (slash != std::string::npos) return pick(doc, metric.substr(0, slash)) / pick(doc, metric.substr(slash + 1));
  const nlohmann::json* v = &doc;
  std::string path = metric;
  const size_t last_dot = path.rfind('.');
  const std::string fields = path.substr(last_dot + 1);
  std::istringstream steps(path.substr(0, last_dot));
  for (std::string step; std::getline(steps, step, '.');)
    v = v->is_array() ? &(*v)[static_cast<size_t>(std::stoul(step))] : &(*v)[step];
  double sum = 0;
  std::istringstream parts(fields);
  for (std::string f; std::getline(parts, f, '+');) sum += (*v)[f].get<double>();
  return sum;
}

}  // namespace

TEST_CASE("the validation table: every published run within 10% of the projection, the mean within 5%") {
  std::ifstream in(PPEMU_SOURCE_DIR "/bench/validation/runs.json");
  REQUIRE(in.good());
  const nlohmann::json table = nlohmann::json::parse(in, nullptr, false);
  REQUIRE(table.is_object());
  double sum = 0;
  int n = 0;
  for (const nlohmann::json& row : table["rows"]) {
    const std::string name = row["name"].get<std::string>();
    INFO(name);
    Config c;
    REQUIRE(apply_json(c, row["config"].dump()).ok());
    const Run run = test::run_of(c);
    REQUIRE(run.projection.has_value());
    // The metrics all live under "projection" of the --format json output.
    const nlohmann::json doc = {{"projection", nlohmann::json::parse(projection_json(*run.projection))}};
    const double projected = pick(doc, row["metric"].get<std::string>());
    const double published = row["published"].get<double>();
    const double error = std::fabs(projected - published) / published;
    INFO("published " << published << ", projected " << projected);
    CHECK(error < 0.10);
    sum += error;
    ++n;
  }
  CHECK(n >= 30);
  CHECK(sum / n < 0.05);
}
