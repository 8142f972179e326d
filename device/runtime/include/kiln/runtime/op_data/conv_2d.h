// Prepared data of CONV_2D: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/conv.h"
#include "kiln/kernels/requant.h"
#include "kiln/runtime/op_data/weighted_kind.h"

namespace kiln::runtime::ops {

struct ConvData {
  kernels::ConvGeometry geometry;
  int32_t filter_in_ch = 0;
  kernels::RequantParams requant;
  kernels::FloatActivation act;
  const float* float_filter = nullptr;  // hybrid: dequantized weights
  WeightedKind kind = WeightedKind::kFloat;
};

}  // namespace kiln::runtime::ops
