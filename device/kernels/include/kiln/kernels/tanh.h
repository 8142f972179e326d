// TANH, bit-exact with TFLite Micro's reference kernels.
#pragma once
#include <stdint.h>

#include "kiln/kernels/activation_input.h"

namespace kiln::kernels {

void tanh_f32(const float* input, float* output, uint32_t count);

// Integer only. The output is implicitly scale 1/128, zero point 0.
void tanh_s8(const int8_t* input, int8_t* output, uint32_t count, const ActivationInputParams& params);

}  // namespace kiln::kernels
