#include "kiln/kernels/svdf.h"

#include <math.h>
#include <string.h>

namespace kiln::kernels {

namespace {

// Wrap-around accumulation, as TFLite's int32 sums (without the UB).
inline int32_t wrap_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// Drops the oldest memory value: the whole state moves one element left;
// the last slot of each filter is overwritten by the new feature value next.
template <typename T>
void shift_state(T* state, uint32_t count) {
  if (count > 1) memmove(state, state + 1, (count - 1) * sizeof(T));
}

template <typename T>
void feature_matmul(const SvdfShape& s, const SvdfQuantParams& p, const int8_t* input,
                    const int8_t* weights_feature, T* state) {
  const int32_t kMin = sizeof(T) == 1 ? INT8_MIN : INT16_MIN;
  const int32_t kMax = sizeof(T) == 1 ? INT8_MAX : INT16_MAX;
  T* newest = state + (s.memory_size - 1);
  for (uint32_t b = 0; b < s.batches; ++b) {
    const int8_t* in = input + b * s.input_size;
    const int8_t* w = weights_feature;
    for (uint32_t f = 0; f < s.num_filters; ++f, newest += s.memory_size) {
      int32_t acc = 0;
      for (uint32_t c = 0; c < s.input_size; ++c) acc = wrap_add(acc, *w++ * (in[c] - p.input_zero_point));
      acc = multiply_by_quantized_multiplier(acc, p.feature_scale.multiplier, p.feature_scale.shift);
      // TFLite Micro (90b983c) clamps to T's range *before* adding the state
      // zero point and then narrows, so the sum can wrap; kept for
      // bit-exactness with its outputs.
      acc = clamp_i32(acc, kMin, kMax);
      *newest = static_cast<T>(p.state_zero_point + acc);  // modulo 2^bits
    }
  }
}

// scratch[b][f] = Σ_m weights_time[f][m] · (state[b][f][m] - zero point).
template <typename T>
void time_weights(const SvdfShape& s, int32_t state_zero_point, const T* weights_time, const T* state,
                  int32_t* scratch) {
  for (uint32_t b = 0; b < s.batches; ++b) {
    const T* w = weights_time;
    const T* st = state + b * s.num_filters * s.memory_size;
    for (uint32_t f = 0; f < s.num_filters; ++f) {
      int32_t acc = 0;
      for (uint32_t m = 0; m < s.memory_size; ++m) acc = wrap_add(acc, *w++ * (*st++ - state_zero_point));
      *scratch++ = acc;
    }
  }
}

// Bias, sum of each unit's `rank` filters, requantize to the int8 output.
void reduce_and_requantize(const SvdfShape& s, const SvdfQuantParams& p, const int32_t* filter_sums,
                           const int32_t* bias, int32_t* unit_sums, int8_t* output) {
  const uint32_t units = s.num_units();
  for (uint32_t b = 0; b < s.batches; ++b) {
    for (uint32_t u = 0; u < units; ++u) {
      int32_t acc = bias != nullptr ? bias[u] : 0;
      for (uint32_t r = 0; r < s.rank; ++r) acc = wrap_add(acc, *filter_sums++);
      unit_sums[b * units + u] = acc;
    }
  }
  for (uint32_t i = 0; i < s.batches * units; ++i) {
    const int32_t y = multiply_by_quantized_multiplier(unit_sums[i], p.output_scale.multiplier, p.output_scale.shift);
    output[i] = static_cast<int8_t>(clamp_i32(wrap_add(y, p.output_zero_point), INT8_MIN, INT8_MAX));
  }
}

template <typename T>
void svdf_integer(const SvdfShape& s, const SvdfQuantParams& p, const int8_t* input, const int8_t* weights_feature,
                  const T* weights_time, const int32_t* bias, T* state, int32_t* scratch, int8_t* output) {
  if (s.rank == 0 || s.memory_size == 0) return;
  shift_state(state, s.batches * s.num_filters * s.memory_size);
  feature_matmul(s, p, input, weights_feature, state);
  int32_t* filter_sums = scratch;
  int32_t* unit_sums = scratch + s.batches * s.num_filters;
  time_weights(s, p.state_zero_point, weights_time, state, filter_sums);
  reduce_and_requantize(s, p, filter_sums, bias, unit_sums, output);
}

// std::max / std::min argument order as TFLite (matters only for NaN).
inline float max_of(float a, float b) { return a < b ? b : a; }
inline float min_of(float a, float b) { return b < a ? b : a; }

float activate(SvdfActivation act, float x) {
  switch (act) {
    case SvdfActivation::kNone: return x;
    case SvdfActivation::kRelu: return max_of(0.0f, x);
    case SvdfActivation::kReluN1To1: return max_of(-1.0f, min_of(x, 1.0f));
    case SvdfActivation::kRelu6: return max_of(0.0f, min_of(x, 6.0f));
    case SvdfActivation::kTanh: return tanhf(x);
    case SvdfActivation::kSignBit: return signbit(x) ? 1.0f : 0.0f;
  }
  return 0.0f;
}

}  // namespace

void svdf_s8(const SvdfShape& shape, const SvdfQuantParams& params, const int8_t* input,
             const int8_t* weights_feature, const int8_t* weights_time, const int32_t* bias, int8_t* state,
             int32_t* scratch, int8_t* output) {
  svdf_integer(shape, params, input, weights_feature, weights_time, bias, state, scratch, output);
}

void svdf_s8_s16(const SvdfShape& shape, const SvdfQuantParams& params, const int8_t* input,
                 const int8_t* weights_feature, const int16_t* weights_time, const int32_t* bias,
                 int16_t* state, int32_t* scratch, int8_t* output) {
  svdf_integer(shape, params, input, weights_feature, weights_time, bias, state, scratch, output);
}

void svdf_f32(const SvdfShape& s, SvdfActivation activation, const float* input, const float* weights_feature,
              const float* weights_time, const float* bias, float* state, float* scratch, float* output) {
  if (s.rank == 0 || s.memory_size == 0) return;
  shift_state(state, s.batches * s.num_filters * s.memory_size);
  float* newest = state + (s.memory_size - 1);
  for (uint32_t b = 0; b < s.batches; ++b) {
    const float* w = weights_feature;
    for (uint32_t f = 0; f < s.num_filters; ++f, newest += s.memory_size) {
      float acc = 0.0f;
      for (uint32_t c = 0; c < s.input_size; ++c) acc += *w++ * input[b * s.input_size + c];
      *newest = acc;
    }
  }
  for (uint32_t b = 0; b < s.batches; ++b) {
    const float* w = weights_time;
    const float* st = state + b * s.num_filters * s.memory_size;
    for (uint32_t f = 0; f < s.num_filters; ++f) {
      float acc = 0.0f;
      for (uint32_t m = 0; m < s.memory_size; ++m) acc += *w++ * *st++;
      scratch[b * s.num_filters + f] = acc;
    }
  }
  const uint32_t units = s.num_units();
  const float* filter_sums = scratch;
  for (uint32_t b = 0; b < s.batches; ++b) {
    for (uint32_t u = 0; u < units; ++u) {
      float acc = bias != nullptr ? bias[u] : 0.0f;
      for (uint32_t r = 0; r < s.rank; ++r) acc += *filter_sums++;
      output[b * units + u] = activate(activation, acc);
    }
  }
}

}  // namespace kiln::kernels
