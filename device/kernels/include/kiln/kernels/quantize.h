// QUANTIZE (float -> int, and int -> int requantization) and DEQUANTIZE,
// bit-exact with TFLite Micro's reference kernels (reference_ops::
// AffineQuantize, Requantize, Dequantize).
#pragma once
#include <stdint.h>

namespace kiln::kernels {

// float -> int: clamp(round_half_away(x / scale) + zero_point), with the
// division and rounding in float32 as TFLite does. NaN maps to the type's
// minimum (what TFLite's conversion yields on common targets).
void quantize_float_to_int8(const float* input, uint32_t n, float scale, int32_t zero_point,
                            int8_t* output);
void quantize_float_to_int16(const float* input, uint32_t n, float scale, int32_t zero_point,
                             int16_t* output);

// int -> int: clamp(mbqm(x − in_zp, multiplier, shift) + out_zp) with the
// multiplier of in_scale / out_scale (double rounding, 32-bit).
struct RequantizeParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t multiplier = 0, shift = 0;
};
// Returns false when in_scale / out_scale needs a left shift above 31.
bool make_requantize_params(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                            RequantizeParams* p);

void requantize(const RequantizeParams& p, const int8_t* input, uint32_t n, int8_t* output);
void requantize(const RequantizeParams& p, const int8_t* input, uint32_t n, int16_t* output);
void requantize(const RequantizeParams& p, const int8_t* input, uint32_t n, int32_t* output);
void requantize(const RequantizeParams& p, const int16_t* input, uint32_t n, int8_t* output);
void requantize(const RequantizeParams& p, const int16_t* input, uint32_t n, int16_t* output);
void requantize(const RequantizeParams& p, const int16_t* input, uint32_t n, int32_t* output);
void requantize(const RequantizeParams& p, const int32_t* input, uint32_t n, int8_t* output);
void requantize(const RequantizeParams& p, const int32_t* input, uint32_t n, int16_t* output);

// int -> float: scale · (x − zero_point). TFLite multiplies in double and
// rounds once to float; that product (24 x 17 bits) is exact in double, and a
// float multiply rounds the same exact product once, so the results match.
void dequantize(const int8_t* input, uint32_t n, float scale, int32_t zero_point, float* output);
void dequantize(const int16_t* input, uint32_t n, float scale, int32_t zero_point, float* output);

}  // namespace kiln::kernels
