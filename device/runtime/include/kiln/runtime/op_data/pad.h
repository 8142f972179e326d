// Prepared data of PAD / PADV2: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/pad.h"

namespace kiln::runtime::ops {

struct PadData {
  kernels::PadGeometry g;
  uint8_t value[4] = {};          // one element of the tensor type
  bool value_from_input = false;  // non-constant PADV2 value: read at invoke
};

}  // namespace kiln::runtime::ops
