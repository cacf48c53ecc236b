// to_svg: well-formed XML for every strategy, stored snapshots (a `-changed.svg` is written beside
// a snapshot that no longer matches, to open side by side), bar positions worked out by hand,
// escaping, and a size that stays bounded at 64 devices x 512 microbatches.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "helpers.h"
#include "ppemu/export.h"
#include "ppemu/strategy.h"

using namespace ppemu;

namespace {

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'; }

// Text between markup may hold '&' only as the start of an entity, and never '<'.
std::string entity_problem(std::string_view text) {
  static const std::regex entity("^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);");
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<') return "raw '<' in text or attribute";
    if (text[i] == '&' && !std::regex_search(std::string(text.substr(i, 12)), entity))
      return "unescaped '&' near '" + std::string(text.substr(i, 12)) + "'";
  }
  return "";
}

// "" when `xml` is well-formed as far as an SVG viewer cares: an optional declaration, one root
// element, tags balanced and properly nested, attributes quoted, unique and escaped, text escaped.
std::string xml_problem(std::string_view xml) {
  size_t i = 0;
  std::vector<std::string> open;
  int roots = 0;
  auto at = [&](std::string_view p) { return xml.substr(i, p.size()) == p; };
  auto read_name = [&] {
    const size_t from = i;
    if (i < xml.size() && name_start(xml[i]))
      while (i < xml.size() && name_char(xml[i])) ++i;
    return std::string(xml.substr(from, i - from));
  };
  auto skip_space = [&] {
    while (i < xml.size() && std::isspace(static_cast<unsigned char>(xml[i]))) ++i;
  };
  if (at("<?xml")) {
    const size_t end = xml.find("?>");
    if (end == std::string_view::npos) return "unterminated declaration";
    i = end + 2;
  }
  while (i < xml.size()) {
    if (xml[i] != '<') {
      const size_t end = std::min(xml.find('<', i), xml.size());
      const std::string_view text = xml.substr(i, end - i);
      if (open.empty() && text.find_first_not_of(" \t\r\n") != std::string_view::npos) return "text outside the root element";
      if (std::string p = entity_problem(text); !p.empty()) return p;
      i = end;
      continue;
    }
    if (at("<!--")) {
      const size_t end = xml.find("-->", i);
      if (end == std::string_view::npos) return "unterminated comment";
      i = end + 3;
      continue;
    }
    if (at("</")) {
      i += 2;
      const std::string name = read_name();
      skip_space();
      if (i >= xml.size() || xml[i] != '>') return "malformed end tag </" + name;
      ++i;
      if (open.empty() || open.back() != name) return "</" + name + "> does not close " + (open.empty() ? "anything" : "<" + open.back() + ">");
      open.pop_back();
      continue;
    }
    ++i;
    const std::string name = read_name();
    if (name.empty()) return "a tag without a name";
    if (open.empty() && ++roots > 1) return "more than one root element (<" + name + ">)";
    std::set<std::string> attrs;
    for (;;) {
      skip_space();
      if (at("/>")) {
        i += 2;
        break;
      }
      if (at(">")) {
        ++i;
        open.push_back(name);
        break;
      }
      const std::string attr = read_name();
      if (attr.empty()) return "malformed attribute in <" + name + ">";
      if (!attrs.insert(attr).second) return "attribute " + attr + " twice in <" + name + ">";
      skip_space();
      if (!at("=")) return "attribute " + attr + " without a value";
      ++i;
      skip_space();
      if (i >= xml.size() || (xml[i] != '"' && xml[i] != '\'')) return "attribute " + attr + " not quoted";
      const char quote = xml[i++];
      const size_t end = xml.find(quote, i);
      if (end == std::string_view::npos) return "unterminated attribute " + attr;
      if (std::string p = entity_problem(xml.substr(i, end - i)); !p.empty()) return "attribute " + attr + ": " + p;
      i = end + 1;
    }
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  if (roots != 1) return "no root element";
  return "";
}

std::string read_text(const std::string& path, bool& found) {
  std::ifstream in(path, std::ios::binary);
  found = static_cast<bool>(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// Compares with tests/core/data/<name>.svg. On a mismatch writes <name>-changed.svg beside it to
// view next to the stored one; if the change is intended, move it over the snapshot.
void match_snapshot(const std::string& name, const std::string& actual) {
  const std::string path = std::string(PPEMU_TEST_DATA_DIR) + "/" + name + ".svg";
  const std::string changed = std::string(PPEMU_TEST_DATA_DIR) + "/" + name + "-changed.svg";
  bool found = false;
  const std::string expected = read_text(path, found);
  if (!found) {
    write_text(path, actual);
    FAIL("no snapshot " << path << " yet: wrote it; look at it and commit it");
  }
  if (expected == actual) {
    std::remove(changed.c_str());
    return;
  }
  write_text(changed, actual);
  FAIL(path << " differs: wrote " << changed << " to compare");
}

struct Bar {
  double x, y, width, height;
  std::string title;
};

// Bars drawn one per op carry a <title> tooltip; merged busy spans say "N ops".
std::vector<Bar> bars_of(const std::string& svg) {
  static const std::regex bar(
      R"re(<rect x="([-0-9.]+)" y="([-0-9.]+)" width="([-0-9.]+)" height="([-0-9.]+)"><title>([^<]*)</title></rect>)re");
  std::vector<Bar> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it)
    out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4]), (*it)[5]});
  return out;
}

}  // namespace

TEST_CASE("xml_problem, the test's checker, refuses what is not well-formed") {
  CHECK(xml_problem("<?xml version=\"1.0\"?>\n<a x=\"1\" y='2'><b/>t &amp; &#8211; u<!-- c --></a>\n") == "");
  CHECK(xml_problem("<a><b></a>") == "</a> does not close <b>");
  CHECK(xml_problem("<a/><b/>") == "more than one root element (<b>)");
  CHECK(xml_problem("<a>") == "<a> is never closed");
  CHECK(xml_problem("<a>&</a>").find("unescaped '&'") == 0);
  CHECK(xml_problem("<a x=\"<\"/>") == "attribute x: raw '<' in text or attribute");
  CHECK(xml_problem("<a x=\"1\" x=\"2\"/>") == "attribute x twice in <a>");
  CHECK(xml_problem("<a x=1/>") == "attribute x not quoted");
  CHECK(xml_problem("text<a/>") == "text outside the root element");
  CHECK(xml_problem("") == "no root element");
}

TEST_CASE("to_svg is well-formed XML for every strategy that accepts the sizes") {
  int drawn = 0;
  for (const Strategy* strategy : strategies()) {
    for (const char* stages : {"num_stages=4", "num_stages=8"}) {
      Config c = test::config_of({"num_devices=4", stages, "num_batches=8"});
      c.strategy = strategy->name;
      Result<Run> r = simulate(c);
      if (!r.ok()) continue;
      const std::string svg = to_svg(r.value());
      INFO(strategy->name << " " << stages);
      CHECK(xml_problem(svg) == "");
      CHECK(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
      ++drawn;
    }
  }
  CHECK(drawn >= 5);
}

TEST_CASE("to_svg escapes the text it is given") {
  Run r = test::run_of({"num_devices=2", "num_stages=2", "num_batches=2"});
  r.config.strategy = "a<b>&\"c'";
  const std::string svg = to_svg(r);
  CHECK(xml_problem(svg) == "");
  CHECK(svg.find("a&lt;b&gt;&amp;&quot;c&apos;") != std::string::npos);
  CHECK(svg.find("a<b") == std::string::npos);
}

TEST_CASE("to_svg matches the stored snapshots") {
  match_snapshot("svg_1f1b_p4_m8", to_svg(test::run_of({"strategy=1f1b", "num_devices=4", "num_stages=4", "num_batches=8"})));
  match_snapshot("svg_interleave_p4_s8_m8",
                 to_svg(test::run_of({"strategy=interleave", "num_devices=4", "num_stages=8", "num_batches=8"})));
  match_snapshot("svg_1f1b_overlap_p4_m8",
                 to_svg(test::run_of({"strategy=1f1b_overlap", "num_devices=4", "num_stages=4", "num_batches=8"})));
  match_snapshot("svg_zb1p_p4_m8", to_svg(test::run_of({"strategy=zb1p", "num_devices=4", "num_stages=4", "num_batches=8"})));
}

TEST_CASE("to_svg 1f1b p=2 m=2: one bar per op where the timeline puts it") {
  // d0: F0 0..1, F1 1..2, BW0 4..6, BW1 7..9; d1: F0 1..2, BW0 2..4, F1 4..5, BW1 5..7 (makespan 9).
  const std::string svg = to_svg(test::run_of({"strategy=1f1b", "num_devices=2", "num_stages=2", "num_batches=2"}));
  const std::vector<Bar> bars = bars_of(svg);
  REQUIRE(bars.size() == 8);
  struct Expected {
    const char* title;
    int device;
    double start, end;
  };
  const Expected expected[] = {
      {"d0 F0 s0: 0\u20131", 0, 0, 1}, {"d0 F1 s0: 1\u20132", 0, 1, 2}, {"d0 BW0 s0: 4\u20136", 0, 4, 6},
      {"d0 BW1 s0: 7\u20139", 0, 7, 9}, {"d1 F0 s1: 1\u20132", 1, 1, 2}, {"d1 BW0 s1: 2\u20134", 1, 2, 4},
      {"d1 F1 s1: 4\u20135", 1, 4, 5}, {"d1 BW1 s1: 5\u20137", 1, 5, 7},
  };
  // Time 0 is the left edge of the rows' idle background and the makespan, 9, its right edge.
  std::smatch row;
  REQUIRE(std::regex_search(svg, row, std::regex(R"re(<g fill="#f0f0f0">\n<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)")re")));
  const double left = std::stod(row[1]), per_unit = std::stod(row[2]) / 9;
  const Bar& first = bars[0];
  REQUIRE(first.title == expected[0].title);
  const double y0 = first.y;
  double y1 = -1;
  for (const Expected& e : expected) {
    INFO(e.title);
    const auto found = std::find_if(bars.begin(), bars.end(), [&](const Bar& b) { return b.title == e.title; });
    REQUIRE(found != bars.end());
    CHECK(found->x == Approx(left + e.start * per_unit).margin(0.011));
    CHECK(found->width == Approx((e.end - e.start) * per_unit).margin(0.011));
    CHECK(found->height == first.height);
    if (e.device == 0) CHECK(found->y == y0);
    if (e.device == 1) {
      if (y1 < 0) y1 = found->y;
      CHECK(found->y == y1);
    }
  }
  CHECK(y1 >= y0 + first.height);
  CHECK(svg.find("makespan 9, bubble ratio") != std::string::npos);
  CHECK(svg.find(" ops, ") == std::string::npos);  // nothing merged at this size
}

TEST_CASE("to_svg at 64 devices x 512 microbatches merges narrow ops and stays under 64 KiB") {
  // Ops narrower than a few pixels become one busy span per run, so the size follows the drawing's
  // width (at most about 300 bars a row) rather than the 65536 ops.
  for (const char* strategy : {"1f1b", "interleave", "zb1p", "1f1b_overlap"}) {
    const bool interleaved = std::string(strategy) == "interleave";
    Run r = test::run_of({std::string("strategy=") + strategy, "num_devices=64",
                          interleaved ? "num_stages=128" : "num_stages=64", "num_batches=512"});
    const std::string svg = to_svg(r);
    INFO(strategy << ": " << svg.size() << " bytes");
    CHECK(xml_problem(svg) == "");
    CHECK(svg.size() < 64 * 1024);
    CHECK(svg.find(" ops, ") != std::string::npos);
    CHECK(svg.find(">d62<") != std::string::npos);  // device labels thinned to every other row, still there
  }
}
