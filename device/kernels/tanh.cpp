#include "kiln/kernels/tanh.h"

#include <math.h>

#include "kiln/kernels/fixed_point.h"
#include "kiln/kernels/quant.h"

namespace kiln::kernels {

void tanh_f32(const float* input, float* output, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) output[i] = tanhf(input[i]);
}

void tanh_s8(const int8_t* input, int8_t* output, uint32_t count, const ActivationInputParams& p) {
  for (uint32_t i = 0; i < count; ++i) {
    const int32_t x = static_cast<int32_t>(input[i]) - p.input_zero_point;
    if (x <= -p.input_range_radius) {
      output[i] = INT8_MIN;
    } else if (x >= p.input_range_radius) {
      output[i] = INT8_MAX;
    } else {
      const int32_t x_q4 = multiply_by_quantized_multiplier(x, p.input_multiplier, p.input_left_shift);
      const int32_t y_q0 = fixed_point::tanh<4>(x_q4);
      // Q0.31 → 1/128 steps (zero point 0).
      const int32_t y = rounding_divide_by_pot(y_q0, 31 - 7);
      output[i] = static_cast<int8_t>(clamp_i32(y, INT8_MIN, INT8_MAX));
    }
  }
}

}  // namespace kiln::kernels
