// FULLY_CONNECTED: output[b][u] = Σ_d input[b·depth + d] · weights[u·depth + d]
// (+ bias[u]), bit-exact with TFLite Micro's reference kernels
// (reference_integer_ops::FullyConnected / FullyConnectedPerChannel,
// reference_ops::FullyConnected).
#pragma once
#include "kiln/kernels/poll.h"
#include <stdint.h>

#include "kiln/kernels/conv.h"

namespace kiln::kernels {

// Each kernel returns false when `poll` told it to stop (output incomplete).

struct FullyConnectedShape {
  int32_t batches = 1;
  int32_t accum_depth = 0;  // weights dim 1: inputs per output
  int32_t units = 0;        // weights dim 0: outputs per batch
};

// Per-tensor weights pass multipliers/shifts arrays broadcast to `units`.
bool fully_connected_int8(const FullyConnectedShape& s, const RequantParams& q, const int8_t* input,
                          const int8_t* weights, const int32_t* bias, int8_t* output,
    const Poll& poll = Poll());

// 16x8: int16 activations (zero point 0), int8 weights, int64 bias (may be null).
bool fully_connected_16x8(const FullyConnectedShape& s, const RequantParams& q, const int16_t* input,
                          const int8_t* weights, const int64_t* bias, int16_t* output,
    const Poll& poll = Poll());

// Float: sum in d order, then + bias, then clamp (TFLite's order).
bool fully_connected_float(const FullyConnectedShape& s, FloatActivation act, const float* input,
                           const float* weights, const float* bias, float* output,
    const Poll& poll = Poll());

}  // namespace kiln::kernels
