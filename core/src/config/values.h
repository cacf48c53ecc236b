#pragma once
// Reading one config value: the shared rules every key group uses, so that "must be a number",
// "must be a whole number" and per-stage lists read and fail the same way for every key.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "ppemu/config.h"
#include "ppemu/result.h"

namespace ppemu::detail {

using nlohmann::json;

/// A stage time or size not given yet (a hole in a per-stage map, or a list without its single value).
extern const double kUnset;

/// The user's text as an error quotes it: printable ASCII ('?' for other bytes), cut to 40 characters.
std::string printable(std::string_view s);
std::string quote(std::string_view s);
/// Shortest text that reads back as the same double ("0", "2.5", "1e+30").
std::string show_number(double x);
/// A value as an error message shows it, cut to 40 characters.
std::string show(const json& v);

/// A finite number from JSON, or from text the JSON parser refused (".5", "1.") as the CLI may give it.
bool as_number(const json& v, double& out);

Status set_count(int& field, std::string_view key, const json& v);
Status set_number(double& field, std::string_view key, const json& v);
/// true/false, 1/0, or the words true/false/yes/no/on/off (YAML's and Hydra's spellings).
Status set_bool(bool& field, std::string_view key, const json& v);
/// One of `words`; the error lists them.
Status set_word(std::string& field, std::string_view key, const json& v, std::initializer_list<const char*> words);

/// `noun` names one entry in messages ("time", "size").
/// A number, a per-stage list (index = stage) or a per-stage map {"stage": value}. Lists and
/// maps must cover every stage; `resolve_stage_values` checks that once num_stages is known.
Status set_stage_values(StageTimes& field, std::string_view key, const json& v, const char* noun = "time");
/// `op_times.forward.3=2`: one stage on top of what is there; other stages keep the current value.
Status set_one_stage(StageTimes& field, std::string_view key, std::string_view index_text, const json& v);
/// Checks a per-stage value against num_stages and its range, fills holes with the single value,
/// and collapses a list of one value to that value.
Status resolve_stage_values(StageTimes& t, const std::string& key, int num_stages, bool allow_zero,
                            const char* noun = "time");
json stage_values_json(const StageTimes& t);

/// A nonzero time (an op time, p2p_latency) outside kMinTime..kMaxTime: the error names `key`.
bool time_out_of_range(double x);
Error time_range_error(const std::string& key, double x, bool allow_zero);
/// time_out_of_range for every stage of a resolved per-stage time.
Status check_time_range(const StageTimes& t, const std::string& key, bool allow_zero);

Status check_count(std::string_view key, int value, int lo, int hi);

}  // namespace ppemu::detail
