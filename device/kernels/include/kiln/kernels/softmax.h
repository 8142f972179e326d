// SOFTMAX over the innermost dimension, bit-exact with TFLite Micro's
// reference kernels: float32, int8 → int8 (output scale 1/256, zero point
// -128) and int8 → int16 (output scale 1/65536, zero point -32768).
//
// The data is `outer` rows of `depth` contiguous values; input and output
// may be the same buffer for the float kernel.
#pragma once
#include <stdint.h>

namespace kiln::kernels {

// Input rescaling of the quantized kernels: (x - max) · input_multiplier ·
// 2^input_left_shift is the exponent in Q5.26; differences below diff_min
// contribute nothing.
struct SoftmaxQuantParams {
  int32_t input_multiplier = 0;
  int32_t input_left_shift = 0;
  int32_t diff_min = 0;
};

// Prepare-time (double arithmetic, as TFLite's PreprocessSoftmaxScaling and
// CalculateInputRadius). Returns false when beta · input_scale is too small
// for the fixed-point path (TFLite rejects that case too) or not finite.
bool softmax_quant_params(float beta, float input_scale, SoftmaxQuantParams* params);

void softmax_f32(const float* input, float* output, uint32_t outer, uint32_t depth, float beta);

// Integer only.
void softmax_s8(const int8_t* input, int8_t* output, uint32_t outer, uint32_t depth,
                const SoftmaxQuantParams& params);
void softmax_s8_s16(const int8_t* input, int16_t* output, uint32_t outer, uint32_t depth,
                    const SoftmaxQuantParams& params);

}  // namespace kiln::kernels
