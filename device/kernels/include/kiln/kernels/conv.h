// CONV_2D: NHWC input, OHWI filter, bit-exact with TFLite Micro's reference
// kernels (reference_ops::Conv, reference_integer_ops::ConvPerChannel).
//
// Pure functions over plain arrays: the caller has validated every size, so
// the kernels trust the geometry and never check it again.
#pragma once
#include <stdint.h>

#include "kiln/kernels/clamp.h"
#include "kiln/kernels/poll.h"
#include "kiln/kernels/quant.h"
#include "kiln/kernels/requant.h"

namespace kiln::kernels {

// Each kernel returns false when `poll` told it to stop (output incomplete).

// Sizes and window of a 2-D convolution, shared by CONV_2D, DEPTHWISE_CONV_2D
// and TRANSPOSE_CONV. Padding is the top/left amount; TFLite's extra
// bottom/right padding (odd total) needs no code: those taps fall outside.
struct ConvGeometry {
  int32_t batches = 1;
  int32_t in_h = 0, in_w = 0, in_ch = 0;
  int32_t filter_h = 0, filter_w = 0;
  int32_t out_h = 0, out_w = 0, out_ch = 0;
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  int32_t pad_h = 0, pad_w = 0;
};

struct FloatActivation {
  float min = 0.0f;
  float max = 0.0f;
};

// Filter is [out_ch, filter_h, filter_w, filter_in_ch]; filter_in_ch must
// divide in_ch (grouped convolution when smaller). bias may be null.
bool conv_int8(const ConvGeometry& g, int32_t filter_in_ch, const RequantParams& q,
               const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
    const Poll& poll = Poll());

// 16x8: int16 activations (zero point 0), int8 filter, int64 bias (may be
// null), int64 accumulator, 64-bit requantization.
bool conv_16x8(const ConvGeometry& g, int32_t filter_in_ch, const RequantParams& q,
               const int16_t* input, const int8_t* filter, const int64_t* bias, int16_t* output,
    const Poll& poll = Poll());

// Float: same summation order as TFLite's reference (fy, fx, ic), then + bias.
bool conv_float(const ConvGeometry& g, int32_t filter_in_ch, FloatActivation act,
                const float* input, const float* filter, const float* bias, float* output,
    const Poll& poll = Poll());

// First and one-past-last filter tap whose input coordinate
// origin + tap * dilation lies in [0, size): the taps TFLite does not skip.
struct TapRange {
  int32_t begin;
  int32_t end;
};
TapRange valid_taps(int32_t origin, int32_t dilation, int32_t filter_size, int32_t size);

}  // namespace kiln::kernels
