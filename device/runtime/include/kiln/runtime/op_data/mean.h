// Prepared data of MEAN: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/reduce.h"

namespace kiln::runtime::ops {

struct MeanData {
  kernels::ReducePlan plan;
  kernels::MeanParams q;
  int32_t scratch = -1;  // int32 sums, quantized types only
};

}  // namespace kiln::runtime::ops
