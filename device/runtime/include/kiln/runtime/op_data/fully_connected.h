// Prepared data of FULLY_CONNECTED: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/fully_connected.h"
#include "kiln/kernels/conv.h"
#include "kiln/kernels/requant.h"
#include "kiln/runtime/op_data/weighted_kind.h"

namespace kiln::runtime::ops {

struct FcData {
  kernels::FullyConnectedShape shape;
  kernels::RequantParams requant;
  kernels::FloatActivation act;
  const float* float_weights = nullptr;  // hybrid: dequantized weights
  WeightedKind kind = WeightedKind::kFloat;
};

}  // namespace kiln::runtime::ops
