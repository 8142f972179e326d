#include "kiln/kernels/softmax.h"

#include <float.h>
#include <math.h>

#include "kiln/kernels/fixed_point.h"
#include "kiln/kernels/quant.h"

namespace kiln::kernels {

namespace {

// The exponent argument is Q5.26, the sum of exponentials Q12.19.
constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

struct OutputRange {
  int32_t min;
  int32_t max;
  int bits;
};

// exp(beta · scale · diff) in Q0 for a diff in [diff_min, 0].
inline int32_t exp_of_diff(int32_t diff, const SoftmaxQuantParams& p) {
  const int32_t scaled = multiply_by_quantized_multiplier(diff, p.input_multiplier, p.input_left_shift);
  return fixed_point::exp_on_negative_values<kScaledDiffIntegerBits>(scaled);
}

// Σ exp in Q12.19, at least 1.0 (the maximum's own term). TFLite's sum
// would overflow at 4096; it saturates here instead.
int32_t sum_of_exps(const int8_t* in, uint32_t depth, int32_t max_in_row, const SoftmaxQuantParams& p) {
  int32_t sum = 0;
  for (uint32_t c = 0; c < depth; ++c) {
    const int32_t diff = in[c] - max_in_row;
    if (diff < p.diff_min) continue;
    const int32_t e = fixed_point::rescale(exp_of_diff(diff, p), 0, kAccumulationIntegerBits);
    sum = sum > INT32_MAX - e ? INT32_MAX : sum + e;
  }
  return sum;
}

template <typename OutT>
void softmax_row(const int8_t* in, OutT* out, uint32_t depth, const SoftmaxQuantParams& p,
                 OutputRange range) {
  int32_t max_in_row = INT8_MIN;
  for (uint32_t c = 0; c < depth; ++c) max_in_row = in[c] > max_in_row ? in[c] : max_in_row;

  int num_bits_over_unit = 0;
  const int32_t shifted_scale = fixed_point::reciprocal(sum_of_exps(in, depth, max_in_row, p),
                                                        kAccumulationIntegerBits, &num_bits_over_unit);
  // In [0, 31 + 12 - bits]. Above 31 (int8 output, sum >= 512) TFLite aborts;
  // every probability is then below half an output step and rounds to 0.
  const int exponent = num_bits_over_unit + 31 - range.bits;

  for (uint32_t c = 0; c < depth; ++c) {
    const int32_t diff = in[c] - max_in_row;
    if (diff < p.diff_min) {
      out[c] = static_cast<OutT>(range.min);
      continue;
    }
    const int32_t prob = fixed_point::mul(shifted_scale, exp_of_diff(diff, p));
    const int32_t steps = exponent > 31 ? 0 : rounding_divide_by_pot(prob, exponent);
    const int32_t shifted = steps + range.min;
    out[c] = static_cast<OutT>(clamp_i32(shifted, range.min, range.max));
  }
}

template <typename OutT>
void softmax_quantized(const int8_t* input, OutT* output, uint32_t outer, uint32_t depth,
                       const SoftmaxQuantParams& p, OutputRange range) {
  for (uint32_t i = 0; i < outer; ++i) {
    softmax_row(input + i * depth, output + i * depth, depth, p, range);
  }
}

}  // namespace

bool softmax_quant_params(float beta, float input_scale, SoftmaxQuantParams* params) {
  // Q5.26 exponent: the real multiplier is beta · scale · 2^(31 - 5), capped so
  // it stays a Q31 multiplier with a left shift.
  const double max_real_multiplier = static_cast<double>((INT64_C(1) << 31) - 1);
  double real = static_cast<double>(beta) * static_cast<double>(input_scale) *
                static_cast<double>(1 << (31 - kScaledDiffIntegerBits));
  if (!(real > 1.0)) return false;  // also rejects NaN
  if (real > max_real_multiplier) real = max_real_multiplier;
  const QuantizedMultiplier q = quantize_multiplier(real);
  if (q.shift < 0 || q.shift > 31) return false;
  params->input_multiplier = q.multiplier;
  params->input_left_shift = q.shift;
  // Largest |diff| whose rescaled value still fits Q5.26 (CalculateInputRadius).
  const double radius = floor(ldexp(static_cast<double>((1 << kScaledDiffIntegerBits) - 1),
                                    31 - kScaledDiffIntegerBits - q.shift));
  params->diff_min = -static_cast<int32_t>(radius);
  return true;
}

void softmax_f32(const float* input, float* output, uint32_t outer, uint32_t depth, float beta) {
  for (uint32_t i = 0; i < outer; ++i) {
    const float* in = input + i * depth;
    float* out = output + i * depth;
    float max = -FLT_MAX;
    for (uint32_t c = 0; c < depth; ++c) max = in[c] > max ? in[c] : max;
    float sum = 0.0f;
    for (uint32_t c = 0; c < depth; ++c) {
      const float e = expf((in[c] - max) * beta);
      out[c] = e;
      sum += e;
    }
    for (uint32_t c = 0; c < depth; ++c) out[c] = out[c] / sum;
  }
}

void softmax_s8(const int8_t* input, int8_t* output, uint32_t outer, uint32_t depth,
                const SoftmaxQuantParams& params) {
  softmax_quantized(input, output, outer, depth, params, OutputRange{INT8_MIN, INT8_MAX, 8});
}

void softmax_s8_s16(const int8_t* input, int16_t* output, uint32_t outer, uint32_t depth,
                    const SoftmaxQuantParams& params) {
  softmax_quantized(input, output, outer, depth, params, OutputRange{INT16_MIN, INT16_MAX, 16});
}

}  // namespace kiln::kernels
