// The arithmetic variant of an operator with weights (CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED): part of its prepared data.
#pragma once
#include <stdint.h>

namespace kiln::runtime::ops {

// kHybrid: float activations with int8 weights, dequantized at prepare.
enum class WeightedKind : uint8_t { kFloat, kHybrid, kInt8, k16x8 };

}  // namespace kiln::runtime::ops
