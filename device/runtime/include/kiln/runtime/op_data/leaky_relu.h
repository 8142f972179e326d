// Prepared data of LEAKY_RELU: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>

#include "kiln/kernels/activations.h"

namespace kiln::runtime::ops {

struct LeakyReluData {
  kernels::LeakyReluParams q;
  float alpha = 0.0f;
};

}  // namespace kiln::runtime::ops
