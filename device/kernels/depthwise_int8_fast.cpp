// DEPTHWISE_CONV_2D int8, optimized (docs/kernels.md), depth multiplier 1:
// 4 adjacent channels x 2 pixels per block on the interior (input offset
// folded into the accumulator start), 4 channels x 1 pixel with the offset on
// the border, one channel at a time for the last in_ch % 4; also one input
// channel broadcast to all outputs (in_ch 1). Other depth multipliers run
// depthwise_conv_int8_reference. Same bits as the reference.
#include "int8_fast.h"
#include "kiln/kernels/depthwise_conv.h"
#include "kiln/kernels/reference.h"

#if defined(__riscv) && __riscv_xlen == 32 && !defined(KILN_KERNELS_REFERENCE)
// dw_4x2 (depth multiplier 1) in assembly: GCC spills the C loop's operands
// on rv32. Per tap: 4 weight loads, 8 x (load, mul, add), 3 pointer steps and
// the loop: 33 instructions per 8 MACs. taps = {rows, cols, x_row, x_col,
// w_row, w_col}; rows, cols >= 0. Modular sums: same bits as the C loop.
extern "C" void kiln_dw4x2_rv32(uint32_t* acc, const int8_t* x, int32_t pixel_step, const int8_t* w,
                                const int32_t* taps);
__asm__(
    "  .section .text.kiln_dw4x2_rv32,\"ax\",@progbits\n"
    "  .globl kiln_dw4x2_rv32\n"
    "  .type kiln_dw4x2_rv32, @function\n"
    "  .p2align 1\n"
    "kiln_dw4x2_rv32:\n"
    "  addi sp, sp, -64\n"
    "  sw s0, 0(sp)\n  sw s1, 4(sp)\n  sw s2, 8(sp)\n  sw s3, 12(sp)\n  sw s4, 16(sp)\n  sw s5, 20(sp)\n"
    "  sw s6, 24(sp)\n  sw s7, 28(sp)\n  sw s8, 32(sp)\n  sw s9, 36(sp)\n  sw s10, 40(sp)\n  sw s11, 44(sp)\n"
    "  sw a0, 48(sp)\n"
    "  lw s2, 0(a4)\n  lw s7, 4(a4)\n  lw s5, 8(a4)\n  lw s3, 12(a4)\n  lw s6, 16(a4)\n  lw s4, 20(a4)\n"
    "  lw t0, 0(a0)\n  lw t1, 4(a0)\n  lw t2, 8(a0)\n  lw t3, 12(a0)\n"
    "  lw t4, 16(a0)\n  lw t5, 20(a0)\n  lw t6, 24(a0)\n  lw a6, 28(a0)\n"
    "  beqz s2, 9f\n  beqz s7, 9f\n"
    "1:\n"
    "  mv a5, a1\n  add a7, a1, a2\n  mv s0, a3\n  mv s1, s7\n"
    "2:\n"
    "  lb s8, 0(s0)\n  lb s9, 1(s0)\n  lb s10, 2(s0)\n  lb s11, 3(s0)\n"
    "  lb a0, 0(a5)\n  mul a4, s8, a0\n  add t0, t0, a4\n"
    "  lb a0, 1(a5)\n  mul a4, s9, a0\n  add t1, t1, a4\n"
    "  lb a0, 2(a5)\n  mul a4, s10, a0\n  add t2, t2, a4\n"
    "  lb a0, 3(a5)\n  mul a4, s11, a0\n  add t3, t3, a4\n"
    "  lb a0, 0(a7)\n  mul a4, s8, a0\n  add t4, t4, a4\n"
    "  lb a0, 1(a7)\n  mul a4, s9, a0\n  add t5, t5, a4\n"
    "  lb a0, 2(a7)\n  mul a4, s10, a0\n  add t6, t6, a4\n"
    "  lb a0, 3(a7)\n  mul a4, s11, a0\n  add a6, a6, a4\n"
    "  add a5, a5, s3\n  add a7, a7, s3\n  add s0, s0, s4\n"
    "  addi s1, s1, -1\n  bnez s1, 2b\n"
    "  add a1, a1, s5\n  add a3, a3, s6\n"
    "  addi s2, s2, -1\n  bnez s2, 1b\n"
    "9:\n"
    "  lw a0, 48(sp)\n"
    "  sw t0, 0(a0)\n  sw t1, 4(a0)\n  sw t2, 8(a0)\n  sw t3, 12(a0)\n"
    "  sw t4, 16(a0)\n  sw t5, 20(a0)\n  sw t6, 24(a0)\n  sw a6, 28(a0)\n"
    "  lw s0, 0(sp)\n  lw s1, 4(sp)\n  lw s2, 8(sp)\n  lw s3, 12(sp)\n  lw s4, 16(sp)\n  lw s5, 20(sp)\n"
    "  lw s6, 24(sp)\n  lw s7, 28(sp)\n  lw s8, 32(sp)\n  lw s9, 36(sp)\n  lw s10, 40(sp)\n  lw s11, 44(sp)\n"
    "  addi sp, sp, 64\n  ret\n"
    "  .size kiln_dw4x2_rv32, .-kiln_dw4x2_rv32\n"
    "  .text\n");
#endif

namespace kiln::kernels {

#if !defined(KILN_KERNELS_REFERENCE)
namespace {

constexpr int32_t kChunk = 64;  // channels whose folded start is on the stack

inline uint32_t mul(int32_t a, int32_t b) { return static_cast<uint32_t>(a * b); }

struct Taps {
  int32_t rows, cols;
  int32_t x_row, x_col;  // input element strides between taps
  int32_t w_row, w_col;  // filter element strides between taps
};
static_assert(sizeof(Taps) == 6 * sizeof(int32_t), "kiln_dw4x2_rv32 reads Taps as six int32");

// Input channel of output channel c + j: c + j, or 0 when one input
// channel feeds all outputs (in_ch 1, depth multiplier = out_ch).
template <bool kBroadcast>
constexpr int32_t lane(int32_t j) {
  return kBroadcast ? 0 : j;
}

// Four adjacent channels of two pixels `pixel_step` apart, no input offset.
template <bool kB>
__attribute__((noinline)) void dw_4x2(const int8_t* x, int32_t pixel_step, const int8_t* w, const Taps& t,
                                      uint32_t* acc) {
#if defined(__riscv) && __riscv_xlen == 32
  if (!kB) {
    kiln_dw4x2_rv32(acc, x, pixel_step, w, &t.rows);
    return;
  }
#endif
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  uint32_t b0 = acc[4], b1 = acc[5], b2 = acc[6], b3 = acc[7];
  for (int32_t r = 0; r < t.rows; ++r) {
    const int8_t* p = x + r * t.x_row;
    const int8_t* s = p + pixel_step;
    const int8_t* k = w + r * t.w_row;
    for (int32_t c = 0; c < t.cols; ++c, p += t.x_col, s += t.x_col, k += t.w_col) {
      const int32_t k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3];
      a0 += mul(k0, p[0]); a1 += mul(k1, p[lane<kB>(1)]);
      a2 += mul(k2, p[lane<kB>(2)]); a3 += mul(k3, p[lane<kB>(3)]);
      b0 += mul(k0, s[0]); b1 += mul(k1, s[lane<kB>(1)]);
      b2 += mul(k2, s[lane<kB>(2)]); b3 += mul(k3, s[lane<kB>(3)]);
    }
  }
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
  acc[4] = b0; acc[5] = b1; acc[6] = b2; acc[7] = b3;
}

// Four adjacent channels of one pixel, input offset applied.
template <bool kB>
__attribute__((noinline)) void dw_4x1_offset(const int8_t* x, const int8_t* w, const Taps& t, int32_t offset,
                                             uint32_t* acc) {
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  for (int32_t r = 0; r < t.rows; ++r) {
    const int8_t* p = x + r * t.x_row;
    const int8_t* k = w + r * t.w_row;
    for (int32_t c = 0; c < t.cols; ++c, p += t.x_col, k += t.w_col) {
      a0 += mul(k[0], p[0] + offset); a1 += mul(k[1], p[lane<kB>(1)] + offset);
      a2 += mul(k[2], p[lane<kB>(2)] + offset); a3 += mul(k[3], p[lane<kB>(3)] + offset);
    }
  }
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

[[maybe_unused]] uint32_t dw_1x1_offset(const int8_t* x, const int8_t* w, const Taps& t, int32_t offset, uint32_t acc) {
  for (int32_t r = 0; r < t.rows; ++r) {
    const int8_t* p = x + r * t.x_row;
    const int8_t* k = w + r * t.w_row;
    for (int32_t c = 0; c < t.cols; ++c, p += t.x_col, k += t.w_col) acc += mul(k[0], p[0] + offset);
  }
  return acc;
}

struct DwPlan {
  const ConvGeometry& g;
  const RequantParams& q;
  const int8_t* filter;
  const int32_t* bias;
  int32_t interior_lo, interior_hi;  // ox range whose window is inside along x
};

inline int8_t finish(const RequantParams& q, uint32_t acc, int32_t c) {
  return static_cast<int8_t>(fast::requantize(acc, fast::channel_requant(q, c), q));
}

inline uint32_t bias_of(const DwPlan& p, int32_t c) {
  return p.bias != nullptr ? static_cast<uint32_t>(p.bias[c]) : 0u;
}

#if defined(KILN_ISA_V)
// RVV, depth multiplier 1: 16 adjacent channels per vector, every pixel
// through its valid taps with the offset in the loop (no folding needed).
template <bool kB>
void dw_row_rvv(const DwPlan& p, const int8_t* input, int32_t lo, int32_t hi, int32_t b, int32_t oy,
                int8_t* output) {
  const ConvGeometry& g = p.g;
  // A local copy: int8 output stores may alias anything, a local they cannot.
  const RequantParams q = p.q;
  fast::RvvRequant rq;
  fast::rvv_requant_init(rq, q);
  const int32_t y0 = oy * g.stride_h - g.pad_h;
  const TapRange ty = valid_taps(y0, g.dilation_h, g.filter_h, g.in_h);
  const int8_t* batch_in = input + b * g.in_h * g.in_w * g.in_ch;
  int8_t* row_out = output + ((b * g.out_h + oy) * g.out_w) * g.out_ch;
  for (int32_t ox = 0; ox < g.out_w; ++ox) {
    const int32_t x0 = ox * g.stride_w - g.pad_w;
    const TapRange tx = valid_taps(x0, g.dilation_w, g.filter_w, g.in_w);
    int32_t taps[6] = {ty.end - ty.begin, tx.end - tx.begin, g.dilation_h * g.in_w * g.in_ch,
                       g.dilation_w * g.in_ch, g.filter_w * g.out_ch, g.out_ch};
    const int8_t* xa = batch_in;
    const int8_t* wa = p.filter;
    if (taps[0] <= 0 || taps[1] <= 0) {
      taps[0] = 0;
    } else {
      xa += ((y0 + ty.begin * g.dilation_h) * g.in_w + x0 + tx.begin * g.dilation_w) * g.in_ch;
      wa += (ty.begin * g.filter_w + tx.begin) * g.out_ch;
    }
    int8_t* out = row_out + ox * g.out_ch;
    for (int32_t c = lo; c < hi; c += 16) {
      const int32_t vl = hi - c < 16 ? hi - c : 16;
      uint32_t acc[16];
      if (kB) {
        fast::dw_bcast_16x1_rvv(xa, wa + c, taps, q.input_offset, vl, fast::rvv_init(p.bias, c), acc);
      } else {
        fast::dw_16x1_rvv(xa + c, wa + c, taps, q.input_offset, vl, fast::rvv_init(p.bias, c), acc);
      }
      fast::rvv_requant(rq, q, acc, c, vl, out + c);
    }
  }
}
#endif

template <bool kB>
void dw_row(const DwPlan& p, const int8_t* input, const uint32_t* folded, int32_t lo, int32_t hi, int32_t b,
            int32_t oy, int8_t* output) {
  const ConvGeometry& g = p.g;
  // A local copy: int8 output stores may alias anything, a local they cannot.
  const RequantParams q = p.q;
  const int32_t y0 = oy * g.stride_h - g.pad_h;
  const TapRange ty = valid_taps(y0, g.dilation_h, g.filter_h, g.in_h);
  const bool rows_full = ty.begin == 0 && ty.end == g.filter_h;
  const int8_t* batch_in = input + b * g.in_h * g.in_w * g.in_ch;
  int8_t* row_out = output + ((b * g.out_h + oy) * g.out_w) * g.out_ch;
  const int32_t blocks_end = lo + ((hi - lo) & ~3);
  for (int32_t ox = 0; ox < g.out_w;) {
    const int32_t x0 = ox * g.stride_w - g.pad_w;
    int8_t* out = row_out + ox * g.out_ch;
    if (rows_full && ox >= p.interior_lo && ox + 1 < p.interior_hi && blocks_end > lo) {
      const Taps t{g.filter_h, g.filter_w, g.dilation_h * g.in_w * g.in_ch, g.dilation_w * g.in_ch,
                   g.filter_w * g.out_ch, g.out_ch};
      const int8_t* xa = batch_in + (y0 * g.in_w + x0) * g.in_ch;
      const int32_t step = g.stride_w * g.in_ch;
      for (int32_t c = lo; c < blocks_end; c += 4) {
        uint32_t acc[8];
        for (int32_t j = 0; j < 4; ++j) acc[j] = acc[4 + j] = folded[c - lo + j];
        dw_4x2<kB>(xa + lane<kB>(c), step, p.filter + c, t, acc);
        for (int32_t j = 0; j < 4; ++j) {
          const fast::ChannelRequant r = fast::channel_requant(q, c + j);
          out[c + j] = static_cast<int8_t>(fast::requantize(acc[j], r, q));
          out[g.out_ch + c + j] = static_cast<int8_t>(fast::requantize(acc[4 + j], r, q));
        }
      }
      for (int32_t c = blocks_end; c < hi; ++c) {
        for (int32_t k = 0; k < 2; ++k) {
          const uint32_t acc = dw_1x1_offset(xa + k * step + lane<kB>(c), p.filter + c, t, q.input_offset, bias_of(p, c));
          out[k * g.out_ch + c] = finish(q, acc, c);
        }
      }
      ox += 2;
      continue;
    }
    const TapRange tx = valid_taps(x0, g.dilation_w, g.filter_w, g.in_w);
    Taps t{ty.end - ty.begin, tx.end - tx.begin, g.dilation_h * g.in_w * g.in_ch, g.dilation_w * g.in_ch,
           g.filter_w * g.out_ch, g.out_ch};
    const int8_t* xa = batch_in;
    if (t.rows <= 0 || t.cols <= 0) {
      t.rows = 0;
    } else {
      xa += ((y0 + ty.begin * g.dilation_h) * g.in_w + x0 + tx.begin * g.dilation_w) * g.in_ch;
    }
    const int8_t* wa = p.filter + (ty.begin * g.filter_w + tx.begin) * g.out_ch;
    if (t.rows == 0) wa = p.filter;
    for (int32_t c = lo; c < blocks_end; c += 4) {
      uint32_t acc[4] = {bias_of(p, c), bias_of(p, c + 1), bias_of(p, c + 2), bias_of(p, c + 3)};
      dw_4x1_offset<kB>(xa + lane<kB>(c), wa + c, t, q.input_offset, acc);
      for (int32_t j = 0; j < 4; ++j) out[c + j] = finish(q, acc[j], c + j);
    }
    for (int32_t c = blocks_end; c < hi; ++c) {
      out[c] = finish(q, dw_1x1_offset(xa + lane<kB>(c), wa + c, t, q.input_offset, bias_of(p, c)), c);
    }
    ++ox;
  }
}

}  // namespace
#endif

bool depthwise_conv_int8(const ConvGeometry& g, int32_t depth_multiplier, const RequantParams& q,
                         const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
                         const Poll& poll) {
#if !defined(KILN_KERNELS_REFERENCE)
  const bool same = depth_multiplier == 1 && g.in_ch == g.out_ch;
  const bool broadcast = g.in_ch == 1 && depth_multiplier == g.out_ch;
  if ((same || broadcast) && fast::multipliers_ok(q, g.out_ch)) {
    DwPlan p{g, q, filter, bias, 0, 0};
    p.interior_lo = g.pad_w <= 0 ? 0 : (g.pad_w + g.stride_w - 1) / g.stride_w;
    const int32_t span = g.in_w - ((g.filter_w - 1) * g.dilation_w + 1) + g.pad_w;
    p.interior_hi = span < 0 ? 0 : span / g.stride_w + 1;
    if (p.interior_hi > g.out_w) p.interior_hi = g.out_w;
#if !defined(KILN_ISA_V)
    const int32_t taps = g.filter_h * g.filter_w;
    uint32_t folded[kChunk];
#endif
    for (int32_t lo = 0; lo < g.out_ch; lo += kChunk) {
      const int32_t hi = g.out_ch - lo < kChunk ? g.out_ch : lo + kChunk;
#if !defined(KILN_ISA_V)  // the RVV rows apply the offset in the loop
      for (int32_t c = lo; c < hi; ++c) {
        uint32_t sum = 0;
        for (int32_t k = 0; k < taps; ++k) sum += static_cast<uint32_t>(filter[k * g.out_ch + c]);
        folded[c - lo] = (bias != nullptr ? static_cast<uint32_t>(bias[c]) : 0u) +
                         sum * static_cast<uint32_t>(q.input_offset);
      }
#endif
      for (int32_t b = 0; b < g.batches; ++b) {
        for (int32_t oy = 0; oy < g.out_h; ++oy) {
          if (poll.should_stop()) return false;
#if defined(KILN_ISA_V)
          if (broadcast) {
            dw_row_rvv<true>(p, input, lo, hi, b, oy, output);
          } else {
            dw_row_rvv<false>(p, input, lo, hi, b, oy, output);
          }
#else
          if (broadcast) {
            dw_row<true>(p, input, folded, lo, hi, b, oy, output);
            continue;
          }
          dw_row<false>(p, input, folded, lo, hi, b, oy, output);
#endif
        }
      }
    }
    return true;
  }
#endif
  return depthwise_conv_int8_reference(g, depth_multiplier, q, input, filter, bias, output, poll);
}

}  // namespace kiln::kernels
