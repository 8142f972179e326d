// Quantization parameters and calibration methods (min/max, percentile,
// MSE-optimal over the histogram).
#include "ranges.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kiln::quant::detail {

namespace {

constexpr float kQMin = -128.0f;
constexpr float kQMax = 127.0f;

float bin_center(const TensorStats& s, size_t bin) {
  const double width = (static_cast<double>(s.max) - s.min) / kHistogramBins;
  return static_cast<float>(s.min + (static_cast<double>(bin) + 0.5) * width);
}

// Value below which `fraction` of the histogram lies.
float quantile(const TensorStats& s, double fraction) {
  const uint64_t total = s.count();
  if (total == 0) return s.min;
  const double target = fraction * static_cast<double>(total);
  double acc = 0;
  const double width = (static_cast<double>(s.max) - s.min) / kHistogramBins;
  for (size_t b = 0; b < s.histogram.size(); ++b) {
    const double next = acc + static_cast<double>(s.histogram[b]);
    if (next >= target) {
      const double within = s.histogram[b] == 0 ? 0.0 : (target - acc) / static_cast<double>(s.histogram[b]);
      return static_cast<float>(s.min + (static_cast<double>(b) + within) * width);
    }
    acc = next;
  }
  return s.max;
}

// Expected squared error of quantizing the histogram with range [lo, hi].
double quantization_error(const TensorStats& s, float lo, float hi) {
  const QParams p = asymmetric_int8(lo, hi);
  double err = 0;
  for (size_t b = 0; b < s.histogram.size(); ++b) {
    if (s.histogram[b] == 0) continue;
    const float x = bin_center(s, b);
    const float dq = static_cast<float>(quantize_value(x, p) - p.zero_point) * p.scale;
    const double d = static_cast<double>(x) - dq;
    err += d * d * static_cast<double>(s.histogram[b]);
  }
  return err;
}

}  // namespace

QParams asymmetric_int8(float min, float max) {
  const double rmin = std::min(0.0, static_cast<double>(min));
  const double rmax = std::max(0.0, static_cast<double>(max));
  QParams p;
  if (rmax - rmin < 1e-30) {  // all zeros: any scale represents them; TFLite uses 1
    p.scale = 1.0f;
    p.zero_point = static_cast<int32_t>(kQMin);
    return p;
  }
  const double scale = (rmax - rmin) / (kQMax - kQMin);
  const double zp_from_min = kQMin - rmin / scale;
  const double zp_from_max = kQMax - rmax / scale;
  const double err_min = std::abs(kQMin) + std::abs(rmin / scale);
  const double err_max = std::abs(kQMax) + std::abs(rmax / scale);
  const double zp = err_min < err_max ? zp_from_min : zp_from_max;
  p.scale = static_cast<float>(scale);
  p.zero_point = zp <= kQMin ? static_cast<int32_t>(kQMin)
                 : zp >= kQMax ? static_cast<int32_t>(kQMax)
                               : static_cast<int32_t>(std::round(zp));
  return p;
}

int8_t quantize_value(float x, const QParams& p) {
  const float q = std::round(x / p.scale) + static_cast<float>(p.zero_point);
  return static_cast<int8_t>(std::clamp(q, kQMin, kQMax));
}

void choose_range(const TensorStats& s, Calibration method, float percentile, float* lo, float* hi) {
  *lo = s.min;
  *hi = s.max;
  if (method == Calibration::kMinMax || s.histogram.empty() || s.count() == 0 || !(s.max > s.min)) return;
  if (method == Calibration::kPercentile) {
    const double keep = std::clamp(static_cast<double>(percentile), 50.0, 100.0) / 100.0;
    *lo = std::max(s.min, quantile(s, 1.0 - keep));
    *hi = std::min(s.max, quantile(s, keep));
    return;
  }
  // MSE: shrink both ends together, then each end alone, keeping the best.
  double best = quantization_error(s, s.min, s.max);
  constexpr int kSteps = 64;
  for (int k = 1; k < kSteps; ++k) {
    const float f = 1.0f - 0.9f * static_cast<float>(k) / kSteps;
    const double e = quantization_error(s, s.min * f, s.max * f);
    if (e < best) best = e, *lo = s.min * f, *hi = s.max * f;
  }
  const float base_lo = *lo, base_hi = *hi;
  for (int k = 1; k < kSteps; ++k) {
    const float f = 1.0f - 0.5f * static_cast<float>(k) / kSteps;
    const double e_hi = quantization_error(s, *lo, base_hi * f);
    if (e_hi < best) best = e_hi, *hi = base_hi * f;
  }
  for (int k = 1; k < kSteps; ++k) {
    const float f = 1.0f - 0.5f * static_cast<float>(k) / kSteps;
    const double e_lo = quantization_error(s, base_lo * f, *hi);
    if (e_lo < best) best = e_lo, *lo = base_lo * f;
  }
}

QuantizedWeights quantize_weights(const std::vector<float>& w, const std::vector<int32_t>& shape, int axis) {
  QuantizedWeights q;
  size_t channels = 1, inner = w.size();
  if (axis >= 0) {
    channels = static_cast<size_t>(shape[static_cast<size_t>(axis)]);
    inner = 1;
    for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) inner *= static_cast<size_t>(shape[d]);
  }
  std::vector<float> max_abs(channels, 0.0f);
  for (size_t i = 0; i < w.size(); ++i) {
    const size_t c = (i / inner) % channels;
    max_abs[c] = std::max(max_abs[c], std::abs(w[i]));
  }
  q.scales.resize(channels);
  for (size_t c = 0; c < channels; ++c) q.scales[c] = max_abs[c] > 0.0f ? max_abs[c] / 127.0f : 1.0f;
  q.values.resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    const float v = std::round(w[i] / q.scales[(i / inner) % channels]);
    q.values[i] = static_cast<int8_t>(std::clamp(v, -127.0f, 127.0f));
  }
  return q;
}

std::vector<int32_t> quantize_bias(const std::vector<float>& b, float input_scale,
                                   const std::vector<float>& weight_scales, std::vector<float>* bias_scales) {
  std::vector<int32_t> q(b.size());
  bias_scales->assign(weight_scales.size(), 0.0f);
  for (size_t c = 0; c < weight_scales.size(); ++c) (*bias_scales)[c] = input_scale * weight_scales[c];
  constexpr double kMax = std::numeric_limits<int32_t>::max();
  for (size_t i = 0; i < b.size(); ++i) {
    const float s = (*bias_scales)[weight_scales.size() == 1 ? 0 : i % weight_scales.size()];
    const double v = std::round(static_cast<double>(b[i]) / static_cast<double>(s));
    q[i] = static_cast<int32_t>(std::clamp(v, -kMax, kMax));
  }
  return q;
}

std::vector<int8_t> quantize_asymmetric(const std::vector<float>& v, QParams* params) {
  float lo = 0.0f, hi = 0.0f;
  for (float x : v) lo = std::min(lo, x), hi = std::max(hi, x);
  *params = asymmetric_int8(lo, hi);
  std::vector<int8_t> q(v.size());
  for (size_t i = 0; i < v.size(); ++i) q[i] = quantize_value(v[i], *params);
  return q;
}

}  // namespace kiln::quant::detail
