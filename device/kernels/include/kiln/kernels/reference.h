// The reference INT8 kernels: straightforward loops, bit-exact with TFLite
// Micro's reference kernels. The public kernels (conv_int8, ...) run the
// optimized variants (docs/kernels.md); these stay as their oracle in tests
// and as the fallback for shapes the optimized variants do not cover.
#pragma once
#include <stdint.h>

#include "kiln/kernels/conv.h"
#include "kiln/kernels/depthwise_conv.h"
#include "kiln/kernels/fully_connected.h"

namespace kiln::kernels {

bool conv_int8_reference(const ConvGeometry& g, int32_t filter_in_ch, const RequantParams& q,
                         const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
                         const Poll& poll = Poll());

bool depthwise_conv_int8_reference(const ConvGeometry& g, int32_t depth_multiplier, const RequantParams& q,
                                   const int8_t* input, const int8_t* filter, const int32_t* bias,
                                   int8_t* output, const Poll& poll = Poll());

bool fully_connected_int8_reference(const FullyConnectedShape& s, const RequantParams& q,
                                    const int8_t* input, const int8_t* weights, const int32_t* bias,
                                    int8_t* output, const Poll& poll = Poll());

}  // namespace kiln::kernels
