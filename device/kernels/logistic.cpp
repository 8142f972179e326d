#include "kiln/kernels/logistic.h"

#include <math.h>

#include "kiln/kernels/fixed_point.h"
#include "kiln/kernels/quant.h"

namespace kiln::kernels {

void logistic_f32(const float* input, float* output, uint32_t count) {
  // TFLite's cut-offs: beyond them the rational form loses to the limits.
  const float kCutoffUpper = 16.619047164916992188f;
  const float kCutoffLower = -9.0f;
  for (uint32_t i = 0; i < count; ++i) {
    const float x = input[i];
    if (x > kCutoffUpper) {
      output[i] = 1.0f;
    } else if (x < kCutoffLower) {
      output[i] = expf(x);
    } else {
      output[i] = 1.0f / (1.0f + expf(-x));
    }
  }
}

void logistic_s8(const int8_t* input, int8_t* output, uint32_t count, const ActivationInputParams& p) {
  for (uint32_t i = 0; i < count; ++i) {
    const int32_t x = static_cast<int32_t>(input[i]) - p.input_zero_point;
    if (x <= -p.input_range_radius) {
      output[i] = INT8_MIN;
    } else if (x >= p.input_range_radius) {
      output[i] = INT8_MAX;
    } else {
      const int32_t x_q4 = multiply_by_quantized_multiplier(x, p.input_multiplier, p.input_left_shift);
      const int32_t y_q0 = fixed_point::logistic<4>(x_q4);
      // Q0.31 → 1/256 steps, then to the -128 zero point.
      const int32_t y = rounding_divide_by_pot(y_q0, 31 - 8) - 128;
      output[i] = static_cast<int8_t>(clamp_i32(y, INT8_MIN, INT8_MAX));
    }
  }
}

}  // namespace kiln::kernels
