// Prepared data of SVDF: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/svdf.h"

namespace kiln::runtime::ops {

enum class SvdfKind : uint8_t { kFloat, kInt8State8, kInt8State16 };

struct SvdfData {
  kernels::SvdfShape shape;
  kernels::SvdfQuantParams quant;
  kernels::SvdfActivation activation = kernels::SvdfActivation::kNone;
  int32_t scratch = -1;
  SvdfKind kind = SvdfKind::kFloat;
};

}  // namespace kiln::runtime::ops
