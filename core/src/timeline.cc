#include "ppemu/timeline.h"

namespace ppemu {

size_t Timeline::bytes() const {
  return device_offset.size() * sizeof(uint32_t) + device.size() * sizeof(int32_t) + stage.size() * sizeof(int32_t) +
         microbatch.size() * sizeof(int32_t) + kind.size() * sizeof(uint8_t) + stage2.size() * sizeof(int32_t) +
         microbatch2.size() * sizeof(int32_t) + start.size() * sizeof(double) + end.size() * sizeof(double) +
         comm_offset.size() * sizeof(uint32_t) + (comm_start.size() + comm_end.size()) * sizeof(double);
}

}  // namespace ppemu
