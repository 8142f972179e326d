// Prepared data of SOFTMAX: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/softmax.h"

namespace kiln::runtime::ops {

enum class SoftmaxKind : uint8_t { kFloat, kInt8, kInt8ToInt16 };

struct SoftmaxData {
  kernels::SoftmaxQuantParams quant;
  float beta = 0.0f;
  uint32_t outer = 0;
  uint32_t depth = 0;
  SoftmaxKind kind = SoftmaxKind::kFloat;
};

}  // namespace kiln::runtime::ops
