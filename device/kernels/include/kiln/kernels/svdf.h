// SVDF (singular value decomposition filter), bit-exact with TFLite Micro's
// reference kernels (svdf_common.cc at tflite-micro 90b983c).
//
// Per batch: each of num_filters feature filters (weights_feature
// [num_filters, input_size]) turns the input into one new value that is
// appended to that filter's memory (state [batches, num_filters ·
// memory_size], oldest value first); each filter's memory is then weighed by
// weights_time [num_filters, memory_size], groups of `rank` filters are summed
// into one unit, bias is added. The state is read and updated in place and
// must persist between invocations (zeroed at start: for the int8 state that
// is the raw value 0, as in TFLite Micro, not the zero point).
#pragma once
#include <stdint.h>

#include "kiln/kernels/quant.h"

namespace kiln::kernels {

struct SvdfShape {
  uint32_t batches = 0;
  uint32_t input_size = 0;
  uint32_t num_filters = 0;  // a multiple of rank
  uint32_t memory_size = 0;
  uint32_t rank = 1;
  uint32_t num_units() const { return rank == 0 ? 0 : num_filters / rank; }
};

// int32 values of scratch the integer kernels need (float kernel: floats).
inline uint32_t svdf_scratch_count(const SvdfShape& s) { return s.batches * (s.num_filters + s.num_units()); }
inline uint32_t svdf_f32_scratch_count(const SvdfShape& s) { return s.batches * s.num_filters; }

struct SvdfQuantParams {
  int32_t input_zero_point = 0;
  int32_t state_zero_point = 0;
  int32_t output_zero_point = 0;
  QuantizedMultiplier feature_scale;  // input_scale · weights_feature_scale / state_scale
  QuantizedMultiplier output_scale;   // state_scale · weights_time_scale / output_scale
};

// int8 input/feature weights/output with int8 or int16 time weights and
// state (both the same type). bias (int32, num_units) may be null. Integer
// only. TFLite Micro applies no fused activation on these paths beyond the
// int8 output clamp; neither do we.
void svdf_s8(const SvdfShape& shape, const SvdfQuantParams& params, const int8_t* input,
             const int8_t* weights_feature, const int8_t* weights_time, const int32_t* bias, int8_t* state,
             int32_t* scratch, int8_t* output);
void svdf_s8_s16(const SvdfShape& shape, const SvdfQuantParams& params, const int8_t* input,
                 const int8_t* weights_feature, const int16_t* weights_time, const int32_t* bias,
                 int16_t* state, int32_t* scratch, int8_t* output);

// Fused activation of the float kernel; values as in the TFLite schema.
enum class SvdfActivation : uint8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5 };

void svdf_f32(const SvdfShape& shape, SvdfActivation activation, const float* input,
              const float* weights_feature, const float* weights_time, const float* bias, float* state,
              float* scratch, float* output);

}  // namespace kiln::kernels
