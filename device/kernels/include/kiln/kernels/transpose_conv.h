// TRANSPOSE_CONV: each input pixel scatters input · filter into the output
// window it covers (dilation is always 1). Filter is [out_ch, filter_h,
// filter_w, in_ch]; in ConvGeometry, in_* is the small input and out_* the
// model's output shape. Bit-exact with TFLite Micro's reference kernels
// (reference_integer_ops::TransposeConv, reference_ops::TransposeConv).
#pragma once
#include <stdint.h>

#include "kiln/kernels/conv.h"

namespace kiln::kernels {

// `acc` is scratch for one accumulator per output element (out elements).
void transpose_conv_int8(const ConvGeometry& g, const RequantParams& q, const int8_t* input,
                         const int8_t* filter, const int32_t* bias, int32_t* acc, int8_t* output);

// 16x8: int16 activations (zero point 0), int8 filter, int64 bias (may be null).
void transpose_conv_16x8(const ConvGeometry& g, const RequantParams& q, const int16_t* input,
                         const int8_t* filter, const int64_t* bias, int64_t* acc, int16_t* output);

// Float accumulates in `output` itself, each element summing its inputs in
// (in_y, in_x, in_ch) order, then + bias, then clamp, as TFLite does.
void transpose_conv_float(const ConvGeometry& g, FloatActivation act, const float* input,
                          const float* filter, const float* bias, float* output);

}  // namespace kiln::kernels
