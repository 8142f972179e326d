// Input rescaling shared by the int8 LOGISTIC and TANH kernels: the input
// (q - zero_point) is brought to Q4.27 with one multiplier; inputs whose
// magnitude reaches `input_range_radius` saturate the output without any
// arithmetic (TFLite Micro's Prepare for these ops).
#pragma once
#include <stdint.h>

namespace kiln::kernels {

struct ActivationInputParams {
  int32_t input_zero_point = 0;
  int32_t input_range_radius = 0;
  int32_t input_multiplier = 0;
  int32_t input_left_shift = 0;
};

// Prepare-time (double arithmetic). Returns false when the scale is not a
// positive finite number or so small that the shift would exceed 31 bits.
bool activation_input_params(float input_scale, int32_t input_zero_point, ActivationInputParams* params);

}  // namespace kiln::kernels
