// Prepared data of LOGISTIC / TANH: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/activation_input.h"

namespace kiln::runtime::ops {

struct SigmoidData {
  kernels::ActivationInputParams input;
  uint32_t count = 0;
  bool quantized = false;
  bool tanh = false;
};

}  // namespace kiln::runtime::ops
