// LOGISTIC (sigmoid), bit-exact with TFLite Micro's reference kernels.
#pragma once
#include <stdint.h>

#include "kiln/kernels/activation_input.h"

namespace kiln::kernels {

// TFLite's float logistic: 1 above 16.619…, exp(x) below -9, else 1/(1+e^-x).
void logistic_f32(const float* input, float* output, uint32_t count);

// Integer only. The output is implicitly scale 1/256, zero point -128.
void logistic_s8(const int8_t* input, int8_t* output, uint32_t count, const ActivationInputParams& params);

}  // namespace kiln::kernels
