// DEPTHWISE_CONV_2D: NHWC input, [1, filter_h, filter_w, out_ch] filter,
// out_ch = in_ch · depth_multiplier; output channel c reads input channel
// c / depth_multiplier. Bit-exact with TFLite Micro's reference kernels
// (reference_integer_ops::DepthwiseConvPerChannel, reference_ops::DepthwiseConv).
#pragma once
#include "kiln/kernels/poll.h"
#include <stdint.h>

#include "kiln/kernels/conv.h"

namespace kiln::kernels {

// Each kernel returns false when `poll` told it to stop (output incomplete).

bool depthwise_conv_int8(const ConvGeometry& g, int32_t depth_multiplier, const RequantParams& q,
                         const int8_t* input, const int8_t* filter, const int32_t* bias,
                         int8_t* output,
    const Poll& poll = Poll());

// 16x8: int16 activations (zero point 0), int8 filter, int64 bias (may be null).
bool depthwise_conv_16x8(const ConvGeometry& g, int32_t depth_multiplier, const RequantParams& q,
                         const int16_t* input, const int8_t* filter, const int64_t* bias,
                         int16_t* output,
    const Poll& poll = Poll());

// Float: taps summed in (fy, fx) order, then + bias, as TFLite does.
bool depthwise_conv_float(const ConvGeometry& g, int32_t depth_multiplier, FloatActivation act,
                          const float* input, const float* filter, const float* bias, float* output,
    const Poll& poll = Poll());

}  // namespace kiln::kernels
