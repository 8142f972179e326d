// RELU, RELU6 and LEAKY_RELU, bit-exact with TFLite Micro's reference kernels
// (micro/kernels/activations*.cc, reference_ops::QuantizeLeakyRelu).
#pragma once
#include <stdint.h>

namespace kiln::kernels {

// Quantized RELU (TFLM ReluQuantized): requantize from the input to the output
// scale, then clamp at the output's quantized zero.
struct ReluParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t multiplier = 0, shift = 0;  // in_scale / out_scale
  int32_t act_min = 0, act_max = 0;
};
// TFLM's CalculateReluOpData; qmin/qmax are the output type's limits.
// Returns false when in_scale / out_scale needs a left shift above 31.
bool make_relu_params(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp, int32_t qmin,
                      int32_t qmax, ReluParams* p);
void relu_int8(const ReluParams& p, const int8_t* input, int8_t* output, uint32_t n);
void relu_int16(const ReluParams& p, const int16_t* input, int16_t* output, uint32_t n);
void relu_float(const float* input, float* output, uint32_t n);

// Quantized RELU6 as TFLM does it: a clamp to [input zero, quantized 6] in
// the input's quantization, no requantization (the output is assumed to
// share the input's scale and zero point).
void relu6_bounds(float in_scale, int32_t in_zp, int32_t qmin, int32_t qmax, int32_t* lower,
                  int32_t* upper);
void clamp_int8(const int8_t* input, int8_t* output, uint32_t n, int32_t lower, int32_t upper);
void clamp_int16(const int16_t* input, int16_t* output, uint32_t n, int32_t lower, int32_t upper);
void relu6_float(const float* input, float* output, uint32_t n);

// Quantized LEAKY_RELU: x >= zero point takes the identity multiplier,
// below it the alpha multiplier (kept positive; the sign is applied after).
struct LeakyReluParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t identity_multiplier = 0, identity_shift = 0;  // in_scale / out_scale
  int32_t alpha_multiplier = 0, alpha_shift = 0;        // |in_scale · alpha / out_scale|
  bool alpha_negative = false;
};
// Returns false when a scale ratio needs a left shift above 31.
bool make_leaky_relu_params(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                            float alpha, LeakyReluParams* p);
void leaky_relu_int8(const LeakyReluParams& p, const int8_t* input, int8_t* output, uint32_t n);
void leaky_relu_int16(const LeakyReluParams& p, const int16_t* input, int16_t* output, uint32_t n);
void leaky_relu_float(float alpha, const float* input, float* output, uint32_t n);

}  // namespace kiln::kernels
