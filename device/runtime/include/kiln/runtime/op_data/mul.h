// Prepared data of MUL: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/elementwise.h"

namespace kiln::runtime::ops {

struct MulData {
  kernels::BroadcastPlan plan;
  kernels::MulParams q;
  kernels::FloatRange act;
};

}  // namespace kiln::runtime::ops
