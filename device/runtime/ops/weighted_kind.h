// The arithmetic variants shared by the operators with weights (CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV), and the tensor types
// each variant requires. Private to the kernel glue.
#pragma once
#include <stdint.h>

#include "kiln/kernels/requant.h"
#include "kiln/runtime/op_data/weighted_kind.h"
#include "kiln/runtime/kernel.h"
#include "kiln/runtime/op_util.h"

namespace kiln::runtime::ops {

WeightedKind weighted_kind(model::TensorType input, model::TensorType weights);

// Where the op keeps its tensors.
struct WeightedInputs {
  uint32_t input = 0;
  uint32_t weights = 1;
  uint32_t bias = 2;
};

// Input and output of a supported type and equal; weights int8 (float for
// kFloat); bias, if present, int32 / int64 / float with `channels` entries.
Status check_weighted_types(PrepareContext& ctx, WeightedKind kind, int32_t channels,
                            WeightedInputs at = WeightedInputs());

// What the requantization of an int8 or 16x8 weighted op depends on.
struct WeightedRequant {
  int32_t channels = 0;      // output channels (one multiplier each, or one shared)
  int32_t channel_axis = 0;  // the weights' per-channel quantization axis
  int64_t depth = 0;         // products summed per output (16x8 range check)
  ScaleProduct product = ScaleProduct::kDouble;
};

// Multipliers, offsets and activation clamps into `q`, with the checks the
// 16x8 path needs (zero points 0, shifts and accumulator in range).
Status plan_weighted_requant(PrepareContext& ctx, WeightedKind kind, model::Activation act,
                             const WeightedRequant& w, kernels::RequantParams* q);

}  // namespace kiln::runtime::ops
