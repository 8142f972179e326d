// Prepared data of AVERAGE_POOL_2D / MAX_POOL_2D: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/pooling.h"

namespace kiln::runtime::ops {

struct PoolData {
  bool average;
  kernels::PoolGeometry g;
  int32_t act_min = 0, act_max = 0;
  float act_min_f = 0.0f, act_max_f = 0.0f;
};

}  // namespace kiln::runtime::ops
