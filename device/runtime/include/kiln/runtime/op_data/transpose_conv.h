// Prepared data of TRANSPOSE_CONV: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/conv.h"
#include "kiln/kernels/requant.h"

namespace kiln::runtime::ops {

enum class TcKind : uint8_t { kFloat, kInt8, k16x8 };

struct TransposeConvData {
  kernels::ConvGeometry geometry;
  kernels::RequantParams requant;
  kernels::FloatActivation act;
  int32_t scratch = -1;  // accumulators, one per output element
  TcKind kind = TcKind::kFloat;
};

}  // namespace kiln::runtime::ops
