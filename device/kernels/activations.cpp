#include "kiln/kernels/activations.h"

#include <math.h>

#include "kiln/kernels/quant.h"

namespace kiln::kernels {

namespace {

// multiply_by_quantized_multiplier shifts a 32-bit value left by `shift`.
constexpr int32_t kMaxLeftShift = 31;

template <typename T>
void relu_integer(const ReluParams& p, const T* input, T* output, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t v =
        multiply_by_quantized_multiplier(static_cast<int32_t>(input[i]) - p.input_zero_point,
                                         p.multiplier, p.shift) +
        p.output_zero_point;
    output[i] = static_cast<T>(clamp_i32(v, p.act_min, p.act_max));
  }
}

template <typename T>
void clamp_integer(const T* input, T* output, uint32_t n, int32_t lower, int32_t upper) {
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t v = input[i];
    output[i] = static_cast<T>(v > upper ? upper : (v < lower ? lower : v));
  }
}

template <typename T>
void leaky_relu_integer(const LeakyReluParams& p, const T* input, T* output, uint32_t n,
                        int32_t qmin, int32_t qmax) {
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t x = static_cast<int32_t>(input[i]) - p.input_zero_point;
    int32_t v = p.output_zero_point;
    if (x >= 0) {
      v += multiply_by_quantized_multiplier(x, p.identity_multiplier, p.identity_shift);
    } else {
      const int32_t scaled = multiply_by_quantized_multiplier(x, p.alpha_multiplier, p.alpha_shift);
      v += p.alpha_negative ? -scaled : scaled;
    }
    output[i] = static_cast<T>(clamp_i32(v, qmin, qmax));
  }
}

}  // namespace

bool make_relu_params(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp, int32_t qmin,
                      int32_t qmax, ReluParams* p) {
  const QuantizedMultiplier q = quantize_multiplier(static_cast<double>(in_scale / out_scale));
  p->input_zero_point = in_zp;
  p->output_zero_point = out_zp;
  p->multiplier = q.multiplier;
  p->shift = q.shift;
  // TFLM: max(qmin, zp + round(0 / scale)); the upper bound is +infinity.
  p->act_min = out_zp > qmin ? out_zp : qmin;
  p->act_max = qmax;
  return q.shift <= kMaxLeftShift;
}

void relu_int8(const ReluParams& p, const int8_t* input, int8_t* output, uint32_t n) {
  relu_integer(p, input, output, n);
}

void relu_int16(const ReluParams& p, const int16_t* input, int16_t* output, uint32_t n) {
  relu_integer(p, input, output, n);
}

void relu_float(const float* input, float* output, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) output[i] = input[i] < 0.0f ? 0.0f : input[i];
}

void relu6_bounds(float in_scale, int32_t in_zp, int32_t qmin, int32_t qmax, int32_t* lower,
                  int32_t* upper) {
  // TFLM FloatToQuantizedType(6.0f, scale, zp). Bounding the rounded value
  // first keeps the float->int conversion defined for tiny scales.
  float r = roundf(6.0f / in_scale);
  r = r > 1048576.0f ? 1048576.0f : (r < -1048576.0f ? -1048576.0f : r);
  *lower = in_zp;
  *upper = clamp_i32(static_cast<int32_t>(r) + in_zp, qmin, qmax);
}

void clamp_int8(const int8_t* input, int8_t* output, uint32_t n, int32_t lower, int32_t upper) {
  clamp_integer(input, output, n, lower, upper);
}

void clamp_int16(const int16_t* input, int16_t* output, uint32_t n, int32_t lower, int32_t upper) {
  clamp_integer(input, output, n, lower, upper);
}

void relu6_float(const float* input, float* output, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    const float v = input[i];
    output[i] = v > 6.0f ? 6.0f : (v < 0.0f ? 0.0f : v);
  }
}

bool make_leaky_relu_params(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                            float alpha, LeakyReluParams* p) {
  p->input_zero_point = in_zp;
  p->output_zero_point = out_zp;
  // TFLM forms both ratios in float before widening.
  const QuantizedMultiplier id = quantize_multiplier(static_cast<double>(in_scale / out_scale));
  p->identity_multiplier = id.multiplier;
  p->identity_shift = id.shift;
  const double real_alpha = static_cast<double>(in_scale * alpha / out_scale);
  // A negative alpha is quantized by magnitude; TFLM negates the multiplier,
  // which is the same value except in the one case where that overflows.
  p->alpha_negative = real_alpha < 0.0;
  const QuantizedMultiplier a = quantize_multiplier(p->alpha_negative ? -real_alpha : real_alpha);
  p->alpha_multiplier = a.multiplier;
  p->alpha_shift = a.shift;
  return id.shift <= kMaxLeftShift && a.shift <= kMaxLeftShift;
}

void leaky_relu_int8(const LeakyReluParams& p, const int8_t* input, int8_t* output, uint32_t n) {
  leaky_relu_integer(p, input, output, n, INT8_MIN, INT8_MAX);
}

void leaky_relu_int16(const LeakyReluParams& p, const int16_t* input, int16_t* output, uint32_t n) {
  leaky_relu_integer(p, input, output, n, INT16_MIN, INT16_MAX);
}

void leaky_relu_float(float alpha, const float* input, float* output, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    const float v = input[i];
    output[i] = v > 0.0f ? v : v * alpha;
  }
}

}  // namespace kiln::kernels
