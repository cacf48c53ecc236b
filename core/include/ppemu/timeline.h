#pragma once
// When each op ran. A struct of flat columns (not one object per op) so that a million ops
// cost 37 bytes each and cross the WASM boundary as a handful of typed arrays.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ppemu {

struct Timeline {
  /// Ops are grouped by device, in each device's execution order (so `start` is non-decreasing
  /// within a device): device d owns rows [device_offset[d], device_offset[d+1]).
  std::vector<uint32_t> device_offset;  ///< size num_devices + 1
  std::vector<int32_t> device;          ///< device that ran the op
  std::vector<int32_t> stage;           ///< stage (virtual stage) of the op; forward half for OV
  std::vector<int32_t> microbatch;      ///< microbatch; forward half for OV
  std::vector<uint8_t> kind;            ///< OpKind as a number: 0 F, 1 B, 2 W, 3 BW, 4 OV
  std::vector<int32_t> stage2;          ///< OV: stage of the full-backward half; otherwise -1
  std::vector<int32_t> microbatch2;     ///< OV: microbatch of the full-backward half; otherwise -1
  std::vector<double> start;            ///< time the op starts, >= 0, in op_times units
  std::vector<double> end;              ///< start + duration
  /// The schedule's communication actions (Schedule::device_comms, device after device), when
  /// it has them: comm_start is when the device reached the action, comm_end when it went on
  /// (a RECV's end is its data's arrival, or later). Empty for a compute-only schedule.
  std::vector<uint32_t> comm_offset;    ///< size num_devices + 1, or empty
  std::vector<double> comm_start, comm_end;

  size_t size() const { return start.size(); }
  int num_devices() const { return device_offset.empty() ? 0 : static_cast<int>(device_offset.size()) - 1; }
  /// Bytes held by the columns (the benchmark reports this per op).
  size_t bytes() const;
};

}  // namespace ppemu
