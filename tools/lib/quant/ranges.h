// Internal: TFLite's int8 parameter choices. Activations: asymmetric
// [-128,127], range widened to include 0, zero point nudged to an integer as
// TFLite's calibrator does. Weights: symmetric narrow range [-127,127].
#pragma once
#include <cstdint>
#include <vector>

#include "calibrate.h"
#include "kiln/quant/quantize.h"

namespace kiln::quant::detail {

struct QParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// TFLite GetAsymmetricQuantizationParams for int8.
QParams asymmetric_int8(float rmin, float rmax);

// The calibrated range [lo, hi] of one tensor for the chosen method.
void choose_range(const TensorStats& s, Calibration method, float percentile, float* lo, float* hi);

// Symmetric per-channel (or per-tensor when axis < 0) int8 weights.
struct QuantizedWeights {
  std::vector<int8_t> values;
  std::vector<float> scales;
};
QuantizedWeights quantize_weights(const std::vector<float>& w, const std::vector<int32_t>& shape, int axis);
// int32 bias with scale input_scale * weight_scale[c] (clamped to +-INT32_MAX).
std::vector<int32_t> quantize_bias(const std::vector<float>& b, float input_scale,
                                   const std::vector<float>& weight_scales, std::vector<float>* bias_scales);
// A constant operand of ADD/MUL/... : per-tensor asymmetric over its values.
std::vector<int8_t> quantize_asymmetric(const std::vector<float>& v, QParams* params);
int8_t quantize_value(float x, const QParams& p);

}  // namespace kiln::quant::detail
