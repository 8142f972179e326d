// Output stage shared by the conv-family kernels: an int32 (int8 paths) or
// int64 (16x8 paths) accumulator requantized for output channel c.
#pragma once
#include <stdint.h>

#include "kiln/kernels/quant.h"

namespace kiln::kernels {

// Requantization of an accumulator into the output type:
// out = clamp(mbqm(acc, multipliers[c], shifts[c]) + output_offset, act_min, act_max).
struct RequantParams {
  int32_t input_offset = 0;   // −input zero point (0 for 16x8)
  int32_t output_offset = 0;  // output zero point (0 for 16x8)
  // One multiplier/shift per output channel, or a single one shared by all
  // channels (per-tensor weights): channel c uses entry c & channel_mask.
  // Shifts fit int8 ([-31, 30]); 5 B per channel instead of TFLM's 8.
  const int32_t* multipliers = nullptr;
  const int8_t* shifts = nullptr;
  uint32_t channel_mask = 0;
  int32_t act_min = 0;
  int32_t act_max = 0;
};

// Output stage of the int8 kernels: acc (+ bias) requantized for channel c.
// Additions wrap, as TFLite's int32 arithmetic does in practice.
inline int32_t requantize_int8(int32_t acc, int32_t c, const RequantParams& q) {
  const uint32_t k = static_cast<uint32_t>(c) & q.channel_mask;
  const int32_t scaled = multiply_by_quantized_multiplier(acc, q.multipliers[k], q.shifts[k]);
  return clamp_i32(wrapping_add(scaled, q.output_offset), q.act_min, q.act_max);
}

// Output stage of the 16x8 kernels: no output offset (zero point is 0).
inline int32_t requantize_16x8(int64_t acc, int32_t c, const RequantParams& q) {
  const uint32_t k = static_cast<uint32_t>(c) & q.channel_mask;
  return clamp_i32(multiply_by_quantized_multiplier(acc, q.multipliers[k], q.shifts[k]), q.act_min,
                   q.act_max);
}

}  // namespace kiln::kernels
