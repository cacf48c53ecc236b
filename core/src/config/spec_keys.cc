#include "config/spec_keys.h"

#include <cmath>

namespace ppemu::detail {

Status set_count_from(int& field, std::string_view key, const json& v, int lo, int unset) {
  if (v.is_null() && unset >= 0) {
    field = unset;
    return {};
  }
  int x = 0;
  if (Status st = set_count(x, key, v); !st.ok()) return st;
  if (x < lo) return Error{std::string(key) + " must be a whole number >= " + std::to_string(lo) + " (got " + show(v) + ")"};
  field = x;
  return {};
}

Status set_positive(double& field, std::string_view key, const json& v, bool allow_zero, double at_most) {
  double x = 0;
  if (Status st = set_number(x, key, v); !st.ok()) return st;
  if (x < 0 || (!allow_zero && x == 0))
    return Error{std::string(key) + " must be a number " + (allow_zero ? ">= 0" : "> 0") + " (got " + show(v) + ")"};
  if (at_most > 0 && x > at_most)
    return Error{std::string(key) + " must be at most " + show_number(at_most) + " (got " + show(v) + ")"};
  field = x;
  return {};
}

}  // namespace ppemu::detail
