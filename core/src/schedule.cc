#include "ppemu/schedule.h"

#include <utility>

namespace ppemu {

const char* kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::F: return "F";
    case OpKind::B: return "B";
    case OpKind::W: return "W";
    case OpKind::BW: return "BW";
    case OpKind::OV: return "OV";
  }
  return "?";
}

const char* comm_name(CommKind kind) {
  switch (kind) {
    case CommKind::SendF: return "SEND_F";
    case CommKind::RecvF: return "RECV_F";
    case CommKind::SendB: return "SEND_B";
    case CommKind::RecvB: return "RECV_B";
  }
  return "?";
}

size_t Schedule::num_ops() const {
  size_t n = 0;
  for (const auto& list : device_actions) n += list.size();
  return n;
}

std::vector<int32_t> Schedule::stage_chunks() const {
  std::vector<int32_t> chunk(stage_device.size());
  std::vector<int32_t> seen(static_cast<size_t>(num_devices), 0);
  for (size_t s = 0; s < stage_device.size(); ++s) chunk[s] = seen[static_cast<size_t>(stage_device[s])]++;
  return chunk;
}

Schedule make_schedule(int num_devices, std::vector<int32_t> stage_device, int num_microbatches) {
  Schedule s;
  s.num_devices = num_devices;
  s.num_stages = static_cast<int>(stage_device.size());
  s.num_microbatches = num_microbatches;
  s.stage_device = std::move(stage_device);
  s.device_actions.resize(static_cast<size_t>(num_devices));
  return s;
}

std::vector<int32_t> linear_placement(int num_devices) {
  std::vector<int32_t> p(static_cast<size_t>(num_devices));
  for (int s = 0; s < num_devices; ++s) p[static_cast<size_t>(s)] = s;
  return p;
}

std::vector<int32_t> interleaved_placement(int num_devices, int num_stages) {
  std::vector<int32_t> p(static_cast<size_t>(num_stages));
  for (int s = 0; s < num_stages; ++s) p[static_cast<size_t>(s)] = s % num_devices;
  return p;
}

std::vector<int32_t> v_placement(int num_devices) {
  std::vector<int32_t> p(static_cast<size_t>(2 * num_devices));
  for (int s = 0; s < 2 * num_devices; ++s) p[static_cast<size_t>(s)] = s < num_devices ? s : 2 * num_devices - 1 - s;
  return p;
}

std::string action_label(const Action& a, bool with_stage) {
  std::string out;
  if (a.kind == OpKind::OV) {
    out = "F" + std::to_string(a.microbatch);
    if (with_stage) out += " s" + std::to_string(a.stage);
    out += "&BW" + std::to_string(a.microbatch2);
    if (with_stage) out += " s" + std::to_string(a.stage2);
    return out;
  }
  out = kind_name(a.kind) + std::to_string(a.microbatch);
  if (with_stage) out += " s" + std::to_string(a.stage);
  return out;
}

}  // namespace ppemu
