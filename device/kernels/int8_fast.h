// Building blocks of the optimized INT8 kernels (private to kernels/).
//
// Register-blocked multiply-accumulate over contiguous spans: an output
// block is 4 output channels x 1 or 2 pixels, whose weights are 4 rows
// `w_stride` apart. Windows are `rows` spans of `row_len` elements, the
// next span `x_row_stride` / `w_row_stride` further on. Sums wrap modulo 2^32
// like the reference's (uint32 arithmetic: never undefined).
#pragma once
#include <stdint.h>

#include "kiln/kernels/isa.h"
#include "kiln/kernels/requant.h"

namespace kiln::kernels::fast {

struct Window {
  int32_t rows;
  int32_t row_len;
  int32_t x_row_stride;
  int32_t w_row_stride;
};

// acc[j] += Σ w_j · x (no input offset: folded into the accumulator start).
// acc[0..3] is pixel x0, acc[4..7] pixel x1.
void mac_4x2(const int8_t* x0, const int8_t* x1, const int8_t* w, int32_t w_stride, const Window& win,
             uint32_t* acc);

// One span of n elements of mac_4x2 (the 1x1 convolution's whole window).
void mac_4x2_span(const int8_t* x0, const int8_t* x1, const int8_t* w, int32_t w_stride, int32_t n,
                  uint32_t* acc);

// acc[j] += Σ w_j · (x + offset).
void mac_4x1_offset(const int8_t* x, const int8_t* w, int32_t w_stride, const Window& win, int32_t offset,
                    uint32_t* acc);

#if defined(KILN_ISA_V)
// RVV: acc[j] = init[j] + Σ w_j · (x + offset) for vl <= 16 output channels
// (rvv_int8.cpp); the 1x1 convolution and fully connected use it. init is
// the bias (or zeros, rvv_zeros()).
void mac_16x1_rvv(const int8_t* x, const int8_t* w, int32_t w_stride, int32_t n, int32_t offset, int32_t vl,
                  const int32_t* init, uint32_t* acc);
// RVV depthwise: acc[j] = init[j] + Σ_taps w·(x + offset) for vl <= 16
// adjacent channels; taps = {rows, cols, x_row, x_col, w_row, w_col}.
void dw_16x1_rvv(const int8_t* x, const int8_t* w, const int32_t* taps, int32_t offset, int32_t vl,
                 const int32_t* init, uint32_t* acc);
// Same with one input channel broadcast to all (in_ch 1, depth multiplier =
// out_ch): x[tap] is a scalar shared by the vl channels.
void dw_bcast_16x1_rvv(const int8_t* x, const int8_t* w, const int32_t* taps, int32_t offset, int32_t vl,
                       const int32_t* init, uint32_t* acc);
// 16 zero accumulators (init when there is no bias).
const int32_t* rvv_zeros();
// init for channels c..c+15: the bias, or zeros.
inline const int32_t* rvv_init(const int32_t* bias, int32_t c) { return bias != nullptr ? bias + c : rvv_zeros(); }

// RVV requantization (same bits as fast::requantize): 16 channels per
// vector instruction instead of ~30 scalar instructions per output.
// Per-tensor parameters are repeated 16 times so one code path loads them.
struct RvvRequant {
  int32_t consts[3];     // output_offset, act_min, act_max
  int32_t mult_rep[16];  // per-tensor multiplier, repeated
  int8_t shift_rep[16];  // per-tensor shift, repeated
  bool per_channel;
};
void rvv_requant_init(RvvRequant& r, const RequantParams& q);
// out[j] = requantize(acc[j]) of channel c + j, j < vl <= 16.
void rvv_requant(const RvvRequant& r, const RequantParams& q, const uint32_t* acc, int32_t c, int32_t vl,
                 int8_t* out);
#endif

// Σ of n int8 weights (offset folding: Σ w·(x+o) = Σ w·x + o·Σ w).
uint32_t sum_int8(const int8_t* w, int32_t n);

// One output channel's requantization, unpacked once per channel block.
struct ChannelRequant {
  int32_t multiplier;
  int32_t left;       // left shift before the high multiply
  int32_t right;      // rounding right shift after it
  int32_t mask;       // 2^right − 1
  int32_t threshold;  // mask >> 1
};

inline ChannelRequant channel_requant(const RequantParams& q, int32_t c) {
  const uint32_t k = static_cast<uint32_t>(c) & q.channel_mask;
  const int32_t shift = q.shifts[k];
  ChannelRequant r;
  r.multiplier = q.multipliers[k];
  r.left = isa::max_i32(shift, 0);
  r.right = isa::max_i32(-shift, 0);
  r.mask = static_cast<int32_t>((1u << r.right) - 1u);
  r.threshold = r.mask >> 1;
  return r;
}

// multiply_by_quantized_multiplier, same bits, fewer instructions. TFLite's
// SaturatingRoundingDoublingHighMul is trunc((a·b + nudge) / 2^31) with
// nudge = 2^30 (a·b >= 0) or 1 − 2^30 (a·b < 0); both cases equal
// floor((a·b + 2^30) / 2^31), an arithmetic shift. The one saturating case
// (a = b = INT32_MIN) needs multiplier INT32_MIN, which callers rule out
// (fast::multipliers_ok) before using this path.
inline int32_t requantize(uint32_t acc, const ChannelRequant& r, const RequantParams& q) {
  const int32_t a = static_cast<int32_t>(acc << r.left);
  const int32_t high =
      static_cast<int32_t>((static_cast<int64_t>(a) * r.multiplier + (INT64_C(1) << 30)) >> 31);
  const int32_t threshold = r.threshold + (high < 0 ? 1 : 0);
  int32_t v = (high >> r.right) + ((high & r.mask) > threshold ? 1 : 0);
  v = static_cast<int32_t>(static_cast<uint32_t>(v) + static_cast<uint32_t>(q.output_offset));
  return isa::min_i32(isa::max_i32(v, q.act_min), q.act_max);
}

// True when no multiplier entry used for `channels` channels is INT32_MIN
// (the saturating corner of the high multiply; never produced by
// quantize_multiplier, but RequantParams come from callers).
bool multipliers_ok(const RequantParams& q, int32_t channels);

}  // namespace kiln::kernels::fast
