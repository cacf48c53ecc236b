// Megatron-LM pipeline-timer dumps, read as PP-Emulation's examples/megatron-lm/plot.py reads
// them (Victarry/PP-Schedule-Visualization, commit 3e540eb): one file per pipeline rank, named
// event_times_PP<p>_VPP<v>_TPxCPxDP_rank_<r>_pp_rank_<pr>_rank_<g>.json, only r = 0 read; one flat
// JSON object of ms times keyed forward-<mb>-start ... (VPP 1) or forward-<chunk>-<mb>-start ...
// (VPP > 1); chunk c of pipeline rank pr is stage c * p + pr; backward is the full backward.
#include <nlohmann/json.hpp>

#include <cctype>
#include <map>
#include <unordered_map>

#include "pytorch_action.h"
#include "traces/measured.h"

namespace ppemu::detail {
namespace {

struct FileName {
  int pp = 0, vpp = 0, dp_rank = 0, pp_rank = 0, global_rank = 0;
};

// Reads `prefix<digits>` at pos.
bool expect_number(const std::string& s, size_t& pos, const char* prefix, int& out) {
  const std::string p = prefix;
  if (s.compare(pos, p.size(), p) != 0) return false;
  pos += p.size();
  const size_t start = pos;
  out = 0;
  while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) && pos - start < 9) out = out * 10 + (s[pos++] - '0');
  return pos > start;
}

bool parse_name(const std::string& name, FileName& f) {
  size_t pos = 0;
  return expect_number(name, pos, "event_times_PP", f.pp) && expect_number(name, pos, "_VPP", f.vpp) &&
         expect_number(name, pos, "_TPxCPxDP_rank_", f.dp_rank) && expect_number(name, pos, "_pp_rank_", f.pp_rank) &&
         expect_number(name, pos, "_rank_", f.global_rank) && name.compare(pos, std::string::npos, ".json") == 0;
}

std::string strip_gz(std::string name) {
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) name.resize(name.size() - 3);
  return name;
}

struct Times {
  double start = 0, end = 0;
  bool has_start = false, has_end = false;
};

// (kind, chunk, microbatch) of a key; kind 0 forward, 1 backward.
uint64_t slot(int kind, int chunk, int mb) {
  return (static_cast<uint64_t>(mb) << 21) | (static_cast<uint64_t>(chunk) << 1) | static_cast<uint64_t>(kind);
}

std::string key_stem(int kind, int chunk, int mb, int vpp) {
  return std::string(kind == 0 ? "forward-" : "backward-") + (vpp > 1 ? std::to_string(chunk) + "-" : "") + std::to_string(mb);
}

// The flat object of one dump, streamed: only forward-/backward- keys are kept.
class Reader {
 public:
  Reader(const std::string& file, size_t size, int vpp, std::unordered_map<uint64_t, Times>& times)
      : file_(file), size_(size), vpp_(vpp), times_(times) {}

  bool null() { return value_is_not_a_number("null"); }
  bool boolean(bool) { return value_is_not_a_number("true or false"); }
  bool number_integer(int64_t v) { return number(static_cast<double>(v)); }
  bool number_unsigned(uint64_t v) { return number(static_cast<double>(v)); }
  bool number_float(double v, const std::string&) { return number(v); }
  bool string(std::string&) { return value_is_not_a_number("a string"); }
  bool binary(std::vector<uint8_t>&) { return true; }
  bool key(std::string& k) {
    key_ = k;
    return parse_key();
  }
  bool start_object(std::size_t) {
    if (depth_ == 1 && ours_) return fail(file_ + ": key " + show_text(key_) + " holds an object; it must be a time in ms");
    ++depth_;
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) {
    if (depth_ == 0) return fail(file_ + ": a Megatron timer dump is one JSON object of times, not an array");
    if (depth_ == 1 && ours_) return fail(file_ + ": key " + show_text(key_) + " holds a list; it must be a time in ms");
    ++depth_;
    return true;
  }
  bool end_array() {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    const std::string what = json_error_text(ex.what());
    return fail(file_ + ": not valid JSON: " + what + (position >= size_ ? " (the file is cut short)" : ""));
  }
  const Status& status() const { return status_; }
  int max_mb() const { return max_mb_; }

 private:
  bool fail(std::string message) {
    status_ = Error{std::move(message)};
    return false;
  }
  bool value_is_not_a_number(const char* what) {
    if (depth_ == 1 && ours_) return fail(file_ + ": key " + show_text(key_) + " holds " + what + "; it must be a time in ms");
    return true;
  }
  // forward-<mb>-start, forward-<chunk>-<mb>-end, backward-...; other keys are not ours.
  bool parse_key() {
    ours_ = false;
    if (depth_ != 1) return true;
    int kind;
    size_t pos;
    if (key_.compare(0, 8, "forward-") == 0) kind = 0, pos = 8;
    else if (key_.compare(0, 9, "backward-") == 0) kind = 1, pos = 9;
    else return true;
    ours_ = true;
    int numbers[2] = {0, 0};
    int count = 0;
    while (count < 2 && pos < key_.size() && std::isdigit(static_cast<unsigned char>(key_[pos]))) {
      const size_t start = pos;
      int v = 0;
      while (pos < key_.size() && std::isdigit(static_cast<unsigned char>(key_[pos])) && pos - start < 9) v = v * 10 + (key_[pos++] - '0');
      if (pos >= key_.size() || key_[pos] != '-') break;
      numbers[count++] = v;
      ++pos;
    }
    const std::string end = key_.substr(pos);
    const std::string expected = vpp_ > 1 ? "forward-<chunk>-<mb>-start or -end (VPP" + std::to_string(vpp_) + ")"
                                          : "forward-<mb>-start or -end";
    if (count == 0 || (end != "start" && end != "end"))
      return fail(file_ + ": key " + show_text(key_) + " is not a pipeline timer; expected " + expected);
    int chunk = 0, mb = numbers[0];
    if (count == 2) {
      chunk = numbers[0];
      mb = numbers[1];
      if (chunk >= vpp_)
        return fail(file_ + ": key " + show_text(key_) + " names chunk " + std::to_string(chunk) + ", but the file name says VPP" +
                    std::to_string(vpp_) + " (chunks 0.." + std::to_string(vpp_ - 1) + ")");
    } else if (vpp_ > 1) {
      return fail(file_ + ": key " + show_text(key_) + " names no chunk, but the file name says VPP" + std::to_string(vpp_) +
                  "; expected " + expected);
    }
    kind_ = kind;
    chunk_ = chunk;
    mb_ = mb;
    is_start_ = end == "start";
    return true;
  }
  bool number(double v) {
    if (depth_ != 1 || !ours_) return true;
    Times& t = times_[slot(kind_, chunk_, mb_)];
    bool& has = is_start_ ? t.has_start : t.has_end;
    if (has) return fail(file_ + ": key " + show_text(key_) + " appears twice");
    has = true;
    (is_start_ ? t.start : t.end) = v;
    max_mb_ = std::max(max_mb_, mb_);
    return true;
  }

  const std::string& file_;
  const size_t size_;
  const int vpp_;
  std::unordered_map<uint64_t, Times>& times_;
  int depth_ = 0;
  std::string key_;
  bool ours_ = false, is_start_ = false;
  int kind_ = 0, chunk_ = 0, mb_ = 0;
  int max_mb_ = -1;
  Status status_;
};

struct Dump {
  const TraceFile* file;
  FileName name;
  std::unordered_map<uint64_t, Times> times;
};

}  // namespace

bool is_megatron_file_name(const std::string& name) {
  FileName f;
  return parse_name(strip_gz(name), f);
}

Result<ReadTrace> read_megatron_timers(const std::vector<TraceFile>& files, const TraceOptions& options) {
  std::vector<Dump> dumps;
  size_t other_dp = 0, unnamed = 0;
  for (const TraceFile& f : files) {
    FileName n;
    if (!parse_name(strip_gz(base_name(f.name)), n)) {
      ++unnamed;
      continue;
    }
    if (n.dp_rank != 0) {
      ++other_dp;
      continue;
    }
    if (!dumps.empty()) {
      const Dump& first = dumps.front();
      if (n.pp != first.name.pp || n.vpp != first.name.vpp)
        return Error{f.name + " says PP" + std::to_string(n.pp) + "_VPP" + std::to_string(n.vpp) + ", but " + first.file->name + " says PP" +
                     std::to_string(first.name.pp) + "_VPP" + std::to_string(first.name.vpp) + "; give the files of one run"};
    }
    if (n.pp < 1 || n.vpp < 1) return Error{f.name + ": PP and VPP in the file name must be at least 1"};
    if (n.pp_rank >= n.pp)
      return Error{f.name + ": pp_rank " + std::to_string(n.pp_rank) + " is outside 0.." + std::to_string(n.pp - 1) + " for PP" +
                   std::to_string(n.pp)};
    for (const Dump& d : dumps)
      if (d.name.pp_rank == n.pp_rank)
        return Error{"pipeline rank " + std::to_string(n.pp_rank) + " appears twice (data-parallel rank 0): in " + d.file->name + " and in " +
                     f.name + "; give one file per rank"};
    dumps.push_back({&f, n, {}});
  }
  if (dumps.empty()) {
    if (other_dp > 0)
      return Error{"no Megatron timer file of data-parallel rank 0 (TPxCPxDP_rank_0); only those are read, as PP-Emulation's plot.py does"};
    return Error{"no Megatron timer files: their names must match event_times_PP<p>_VPP<v>_TPxCPxDP_rank_<r>_pp_rank_<pr>_rank_<g>.json"};
  }
  const int P = dumps.front().name.pp, V = dumps.front().name.vpp;
  if (P > options.limits.max_devices)
    return Error{dumps.front().file->name + ": the file name says PP" + std::to_string(P) + ", more pipeline ranks than the limit of " +
                 std::to_string(options.limits.max_devices)};
  if (static_cast<int>(dumps.size()) != P) {
    std::string given;
    std::vector<int> missing;
    for (size_t i = 0; i < dumps.size() && i < 4; ++i)
      given += (i ? ", " : "") + std::string("pipeline rank ") + std::to_string(dumps[i].name.pp_rank) + " in " + dumps[i].file->name;
    if (dumps.size() > 4) given += ", ...";
    for (int r = 0; r < P; ++r) {
      bool have = false;
      for (const Dump& d : dumps) have = have || d.name.pp_rank == r;
      if (!have) missing.push_back(r);
    }
    return Error{"the file names say PP" + std::to_string(P) + ", so pipeline ranks 0.." + std::to_string(P - 1) +
                 " must each have a file (data-parallel rank 0), but pipeline rank" + (missing.size() > 1 ? "s " : " ") +
                 list_ranks(missing) + " " + (missing.size() > 1 ? "are" : "is") + " missing (given: " + given + ")"};
  }
  if (int64_t{P} * V > options.limits.max_stages)
    return Error{"PP" + std::to_string(P) + "_VPP" + std::to_string(V) + " makes more stages than the limit of " +
                 std::to_string(options.limits.max_stages)};

  int max_mb = -1;
  for (Dump& d : dumps) {
    Reader reader(d.file->name, d.file->text.size(), V, d.times);
    nlohmann::json::sax_parse(d.file->text.begin(), d.file->text.end(), &reader);
    if (!reader.status().ok()) return Error{reader.status().error()};
    if (reader.max_mb() < 0) return Error{d.file->name + ": no forward-/backward- timer keys"};
    max_mb = std::max(max_mb, reader.max_mb());
  }
  if (max_mb >= options.limits.max_batches)
    return Error{"the dumps name microbatch " + std::to_string(max_mb) + ", beyond the limit of " + std::to_string(options.limits.max_batches)};

  ReadTrace out;
  out.format = TraceFormat::Megatron;
  for (const Dump& d : dumps) {
    RankOps r;
    r.rank = d.name.pp_rank;
    r.file = d.file->name;
    for (int c = 0; c < V; ++c)
      for (int mb = 0; mb <= max_mb; ++mb)
        for (int kind = 0; kind < 2; ++kind) {
          const std::string stem = key_stem(kind, c, mb, V);
          auto it = d.times.find(slot(kind, c, mb));
          if (it == d.times.end())
            return Error{r.file + ": keys " + stem + "-start and -end are missing (pipeline rank " + std::to_string(r.rank) +
                         (V > 1 ? ", chunk " + std::to_string(c) : "") + ", microbatch " + std::to_string(mb) + "; the dumps reach microbatch " +
                         std::to_string(max_mb) + ")"};
          const Times& t = it->second;
          if (!t.has_end) return Error{r.file + ": key " + stem + "-end is missing (" + stem + "-start is there)"};
          if (!t.has_start) return Error{r.file + ": key " + stem + "-start is missing (" + stem + "-end is there)"};
          if (t.end < t.start)
            return Error{r.file + ": " + stem + "-end (" + show_ms(t.end) + ") is before " + stem + "-start (" + show_ms(t.start) + ")"};
          const int stage = c * P + r.rank;
          r.actions.push_back(kind == 0 ? Action::f(stage, mb) : Action::bw(stage, mb));
          r.start.push_back(t.start);
          r.end.push_back(t.end);
          r.ordinal.push_back(static_cast<uint32_t>(slot(kind, c, mb) >> 1));  // chunk and microbatch, for op_name
        }
    out.ranks.push_back(std::move(r));
  }
  out.op_name = [P, V](const RankOps& r, size_t k) {
    const Action& a = r.actions[k];
    return "keys " + key_stem(a.kind == OpKind::F ? 0 : 1, a.stage / P, a.microbatch, V) + "-*";
  };
  if (other_dp > 0)
    out.notes.push_back(std::to_string(other_dp) + " files of data-parallel ranks other than 0 ignored, as PP-Emulation's plot.py does");
  if (unnamed > 0)
    out.notes.push_back(std::to_string(unnamed) + " files not named event_times_PP..._rank_<g>.json ignored");
  out.notes.push_back("Megatron's timers time forward and the full backward; backward_D and backward_W are not measured");
  return out;
}

}  // namespace ppemu::detail
