// Straightforward references for the conv-family tests: textbook loops with
// explicit bounds checks and 64-bit (or double) accumulators, sharing no code
// with the kernels except the requantization helpers tested in quant_test.
#pragma once
#include <math.h>
#include <stdint.h>

#include <random>
#include <vector>

#include "kiln/kernels/conv.h"
#include "kiln/kernels/quant.h"

namespace kiln::kernels::testref {

// Per-channel requantization data kept alive by the test.
struct Requant {
  std::vector<int32_t> multipliers;
  std::vector<int8_t> shifts;
  std::vector<double> reals;
  RequantParams params(int32_t in_zp, int32_t out_zp, int32_t lo, int32_t hi) const {
    RequantParams q;
    q.input_offset = -in_zp;
    q.output_offset = out_zp;
    q.multipliers = multipliers.data();
    q.shifts = shifts.data();
    q.channel_mask = multipliers.size() > 1 ? 0xFFFFFFFFu : 0u;
    q.act_min = lo;
    q.act_max = hi;
    return q;
  }
};

inline Requant make_requant(const std::vector<double>& reals) {
  Requant r;
  r.reals = reals;
  for (double m : reals) {
    const QuantizedMultiplier q = quantize_multiplier(m);
    r.multipliers.push_back(q.multiplier);
    r.shifts.push_back(static_cast<int8_t>(q.shift));
  }
  return r;
}

// Exact int8 output for an exact accumulator, via the (separately tested)
// fixed-point helpers; also checked to be within 1 of the real-valued result.
inline int32_t requant_int8(int64_t acc, int32_t c, const RequantParams& q, double real_m) {
  const int32_t scaled = multiply_by_quantized_multiplier(static_cast<int32_t>(acc), q.multipliers[c], q.shifts[c]);
  const double exact = static_cast<double>(acc) * real_m;
  if (fabs(scaled - exact) > 1.0) return INT32_MIN;  // flags a broken helper
  const int32_t v = scaled + q.output_offset;
  return v < q.act_min ? q.act_min : (v > q.act_max ? q.act_max : v);
}

inline int32_t requant_16x8(int64_t acc, int32_t c, const RequantParams& q, double real_m) {
  const int32_t scaled = multiply_by_quantized_multiplier(acc, q.multipliers[c], q.shifts[c]);
  const double exact = static_cast<double>(acc) * real_m;
  // The 64-bit path keeps only a 15-bit multiplier: relative error ~2^-15.
  if (fabs(scaled - exact) > 1.0 + fabs(exact) * ldexp(1.0, -14)) return INT32_MIN;
  return scaled < q.act_min ? q.act_min : (scaled > q.act_max ? q.act_max : scaled);
}

// Exact accumulator of a (grouped) NHWC convolution at one output element:
// Σ w · (x + input_offset) over in-bounds taps, + bias. T is int8 or int16.
template <typename T>
int64_t conv_acc(const ConvGeometry& g, int32_t filter_in_ch, const T* in, const int8_t* filter,
                 int64_t bias, int32_t input_offset, int32_t b, int32_t oy, int32_t ox, int32_t oc) {
  const int32_t groups = g.in_ch / filter_in_ch;
  const int32_t group = oc / (g.out_ch / groups);
  int64_t acc = bias;
  for (int32_t fy = 0; fy < g.filter_h; ++fy) {
    for (int32_t fx = 0; fx < g.filter_w; ++fx) {
      const int32_t iy = oy * g.stride_h - g.pad_h + fy * g.dilation_h;
      const int32_t ix = ox * g.stride_w - g.pad_w + fx * g.dilation_w;
      if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
      for (int32_t ic = 0; ic < filter_in_ch; ++ic) {
        const int64_t x = in[((b * g.in_h + iy) * g.in_w + ix) * g.in_ch + group * filter_in_ch + ic];
        const int64_t w = filter[((oc * g.filter_h + fy) * g.filter_w + fx) * filter_in_ch + ic];
        acc += w * (x + input_offset);
      }
    }
  }
  return acc;
}

template <typename T>
std::vector<T> random_vector(std::mt19937& rng, size_t n, int32_t lo, int32_t hi) {
  std::uniform_int_distribution<int32_t> d(lo, hi);
  std::vector<T> v(n);
  for (auto& e : v) e = static_cast<T>(d(rng));
  return v;
}

inline std::vector<float> random_floats(std::mt19937& rng, size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& e : v) e = d(rng);
  return v;
}

// TFLite's SAME/VALID output size and top/left padding, written out.
inline void same_padding(ConvGeometry& g) {
  g.out_h = (g.in_h + g.stride_h - 1) / g.stride_h;
  g.out_w = (g.in_w + g.stride_w - 1) / g.stride_w;
  const int32_t th = (g.out_h - 1) * g.stride_h + (g.filter_h - 1) * g.dilation_h + 1 - g.in_h;
  const int32_t tw = (g.out_w - 1) * g.stride_w + (g.filter_w - 1) * g.dilation_w + 1 - g.in_w;
  g.pad_h = th > 0 ? th / 2 : 0;
  g.pad_w = tw > 0 ? tw / 2 : 0;
}

inline void valid_padding(ConvGeometry& g) {
  g.out_h = (g.in_h - (g.filter_h - 1) * g.dilation_h - 1) / g.stride_h + 1;
  g.out_w = (g.in_w - (g.filter_w - 1) * g.dilation_w - 1) / g.stride_w + 1;
  g.pad_h = 0;
  g.pad_w = 0;
}

}  // namespace kiln::kernels::testref
