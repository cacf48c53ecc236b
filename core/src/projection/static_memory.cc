#include "projection/static_memory.h"

namespace ppemu::projection {

StaticBytes static_bytes(const Shape& x, const StageParams& p) {
  StaticBytes b;
  b.weights = 2 * p.total();
  b.gradients = 4 * p.total();
  if (x.distributed_optimizer) {
    b.optimizer = 12 * p.dense / x.dp + 12 * p.expert / (x.dp / x.ep);
  } else {
    b.optimizer = 12 * p.total();
  }
  return b;
}

}  // namespace ppemu::projection
