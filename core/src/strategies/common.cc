#include "strategies/common.h"

#include <string>

namespace ppemu::detail {

Status require_one_stage_per_device(const Config& c, const char* strategy) {
  if (c.num_stages == c.num_devices) return {};
  std::string msg = std::string(strategy) + " needs num_stages equal to num_devices (got " + std::to_string(c.num_stages) +
                    " stages on " + std::to_string(c.num_devices) + " devices); try num_stages=" + std::to_string(c.num_devices);
  if (c.num_stages % c.num_devices == 0) msg += ", or strategy=interleave for several stages per device";
  return Error{msg};
}

Status require_interleaved(const Config& c, const char* strategy) {
  const int p = c.num_devices;
  if (c.num_stages % p != 0) {
    const int up = (c.num_stages / p + 1) * p;
    return Error{std::string(strategy) + " needs num_stages to be a multiple of num_devices (got " + std::to_string(c.num_stages) +
                 " stages on " + std::to_string(p) + " devices); try num_stages=" + std::to_string(std::max(up, 2 * p))};
  }
  if (c.num_stages < 2 * p)
    return Error{std::string(strategy) + " needs at least two stages per device (got " + std::to_string(c.num_stages) +
                 " stages on " + std::to_string(p) + " devices); try num_stages=" + std::to_string(2 * p) +
                 ", or strategy=1f1b for one stage per device"};
  return {};
}

Status require_megatron_groups(const Config& c, const char* strategy) {
  const int p = c.num_devices, m = c.num_batches, n = c.group_size();
  const std::string name(strategy);
  if (m < p)
    return Error{name + " needs num_batches >= num_devices (got " + std::to_string(m) + " microbatches on " +
                 std::to_string(p) + " devices); try num_batches=" + std::to_string(p)};
  if (n < p || n > m)
    return Error{name + " needs microbatch_group_size_per_vp_stage between num_devices and num_batches (got " +
                 std::to_string(n) + ", allowed " + std::to_string(p) + ".." + std::to_string(m) + ")"};
  const int last = m % n;
  if (last > 0 && last < p) {
    // Suggest the nearest microbatch count that leaves a full last group.
    const int down = m - last, up = m - last + n;
    return Error{name + " needs the last microbatch group to hold 0 or at least num_devices microbatches: num_batches " +
                 std::to_string(m) + " mod group size " + std::to_string(n) + " = " + std::to_string(last) + " < " +
                 std::to_string(p) + " (Megatron rejects this: it leaves dependency bubbles); try num_batches=" +
                 std::to_string(down >= p ? down : up) + " or " + std::to_string(up)};
  }
  return {};
}

UniformTimes uniform_times(const Config& c) {
  const auto& t = c.op_times;
  UniformTimes u;
  u.uniform = t.forward.per_stage.empty() && t.backward.per_stage.empty() && t.backward_D.per_stage.empty() &&
              t.backward_W.per_stage.empty() &&
              (!t.overlapped_forward_backward || t.overlapped_forward_backward->per_stage.empty());
  u.F = t.forward.at(0);
  u.B = t.backward_D.at(0);
  u.W = t.backward_W.at(0);
  u.Bf = t.backward.at(0);
  u.ov = t.overlapped_forward_backward ? t.overlapped_forward_backward->at(0) : u.F + u.Bf;
  return u;
}

Formula formula(std::string quantity, std::string expression, double value, double emulated, std::string source,
                const Config& c, std::string extra_assumption, bool extra_holds) {
  Formula f;
  f.quantity = std::move(quantity);
  f.expression = std::move(expression);
  f.value = value;
  f.emulated = emulated;
  f.source = std::move(source);
  f.assumptions = "p2p_latency = 0; every stage has the same op times";
  if (!extra_assumption.empty()) f.assumptions += "; " + extra_assumption;
  f.holds = extra_holds && c.p2p_latency == 0 && uniform_times(c).uniform;
  return f;
}

Formula order_formula(std::string quantity, std::string expression, double value, double emulated, std::string source) {
  Formula f;
  f.quantity = std::move(quantity);
  f.expression = std::move(expression);
  f.value = value;
  f.emulated = emulated;
  f.source = std::move(source);
  f.assumptions = "none beyond the strategy's constraints";
  f.holds = true;
  return f;
}

}  // namespace ppemu::detail
