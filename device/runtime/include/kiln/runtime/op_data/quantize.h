// Prepared data of QUANTIZE: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/quantize.h"

namespace kiln::runtime::ops {

struct QuantizeData {
  kernels::RequantizeParams rq;
  float scale = 0.0f;  // float input: output scale
  int32_t zero_point = 0;
};

}  // namespace kiln::runtime::ops
