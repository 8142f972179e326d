#include "kiln/kernels/fully_connected.h"
#include "kiln/kernels/reference.h"

#include "dot_product.h"

namespace kiln::kernels {

namespace {
// Polled once every this many output units: bounds the overshoot of a
// budget to 64 dot products.
constexpr int32_t kUnitsPerPoll = 64;
bool stop_at(int32_t u, const Poll& poll) { return (u % kUnitsPerPoll) == 0 && poll.should_stop(); }
}  // namespace

bool fully_connected_int8_reference(const FullyConnectedShape& s, const RequantParams& q, const int8_t* input,
                          const int8_t* weights, const int32_t* bias, int8_t* output, const Poll& poll) {
  for (int32_t b = 0; b < s.batches; ++b) {
    const int8_t* x = input + b * s.accum_depth;
    int8_t* out = output + b * s.units;
    for (int32_t u = 0; u < s.units; ++u) {
      if (stop_at(u, poll)) return false;
      int32_t acc = static_cast<int32_t>(
          detail::dot_int8(x, weights + u * s.accum_depth, s.accum_depth, q.input_offset));
      if (bias != nullptr) acc = wrapping_add(acc, bias[u]);
      out[u] = static_cast<int8_t>(requantize_int8(acc, u, q));
    }
  }
  return true;
}

bool fully_connected_16x8(const FullyConnectedShape& s, const RequantParams& q, const int16_t* input,
                          const int8_t* weights, const int64_t* bias, int16_t* output, const Poll& poll) {
  for (int32_t b = 0; b < s.batches; ++b) {
    const int16_t* x = input + b * s.accum_depth;
    int16_t* out = output + b * s.units;
    for (int32_t u = 0; u < s.units; ++u) {
      if (stop_at(u, poll)) return false;
      int64_t acc = detail::dot_16x8(x, weights + u * s.accum_depth, s.accum_depth);
      if (bias != nullptr) acc += bias[u];
      out[u] = static_cast<int16_t>(requantize_16x8(acc, u, q));
    }
  }
  return true;
}

bool fully_connected_float(const FullyConnectedShape& s, FloatActivation act, const float* input,
                           const float* weights, const float* bias, float* output, const Poll& poll) {
  for (int32_t b = 0; b < s.batches; ++b) {
    const float* x = input + b * s.accum_depth;
    float* out = output + b * s.units;
    for (int32_t u = 0; u < s.units; ++u) {
      if (stop_at(u, poll)) return false;
      const float* w = weights + u * s.accum_depth;
      float total = 0.0f;
      for (int32_t d = 0; d < s.accum_depth; ++d) total += x[d] * w[d];
      const float bias_value = bias != nullptr ? bias[u] : 0.0f;
      out[u] = clamp_float(total + bias_value, act.min, act.max);
    }
  }
  return true;
}

}  // namespace kiln::kernels
