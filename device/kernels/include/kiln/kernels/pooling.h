// AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors, bit-exact with TFLite
// Micro's reference kernels (reference_ops / reference_integer_ops pooling).
//
// Windows are clipped to the input: padded taps are skipped, not counted,
// so an average divides by the taps that landed inside the image.
#pragma once
#include <stdint.h>

namespace kiln::kernels {

struct PoolGeometry {
  int32_t batches = 1;
  int32_t in_h = 0, in_w = 0, depth = 0;
  int32_t out_h = 0, out_w = 0;
  int32_t filter_h = 1, filter_w = 1;
  int32_t stride_h = 1, stride_w = 1;
  int32_t pad_h = 0, pad_w = 0;  // top / left padding
};

// Quantized: act_min/act_max are the fused activation range in the output
// type (input and output share scale and zero point). Integer averages round
// half away from zero: (acc ± n/2) / n with C division.
void average_pool_int8(const PoolGeometry& g, int32_t act_min, int32_t act_max, const int8_t* input,
                       int8_t* output);
void average_pool_int16(const PoolGeometry& g, int32_t act_min, int32_t act_max,
                        const int16_t* input, int16_t* output);
void average_pool_float(const PoolGeometry& g, float act_min, float act_max, const float* input,
                        float* output);

void max_pool_int8(const PoolGeometry& g, int32_t act_min, int32_t act_max, const int8_t* input,
                   int8_t* output);
void max_pool_int16(const PoolGeometry& g, int32_t act_min, int32_t act_max, const int16_t* input,
                    int16_t* output);
void max_pool_float(const PoolGeometry& g, float act_min, float act_max, const float* input,
                    float* output);

}  // namespace kiln::kernels
