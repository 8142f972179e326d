// CONV_2D int8, optimized (docs/kernels.md): no im2col, output blocks of
// 4 channels x 2 pixels on the interior with the input offset folded into
// the accumulator start, 4 channels x 1 pixel with the offset applied on the
// border (valid taps only). Same bits as conv_int8_reference, which also
// handles what this path does not: grouped filters, dilation along x.
#include "int8_fast.h"
#include "kiln/kernels/conv.h"
#include "kiln/kernels/reference.h"

namespace kiln::kernels {

#if !defined(KILN_KERNELS_REFERENCE)
namespace {

// Output channels whose Σ w are kept on the stack at a time (256 B).
constexpr int32_t kChunk = 64;

struct ConvPlan {
  const ConvGeometry& g;
  const RequantParams& q;
  const int8_t* filter;
  int32_t per_oc;        // filter elements per output channel
  int32_t filter_row;    // filter elements per filter row
  int32_t input_row;     // input elements between filter rows (dilation included)
  int32_t pixel_step;    // input elements between horizontally adjacent outputs
  int32_t interior_lo;   // first ox whose window is inside the input along x
  int32_t interior_hi;   // one past the last
};

int32_t ceil_div_pos(int32_t a, int32_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }

// Writes 4 channels (fewer at the end) of `pixels` outputs.
// q is the caller's local copy of p.q: int8 stores may alias anything
// reachable through a reference, and GCC would reload every field.
inline void store_block(const ConvPlan& p, const RequantParams& q, const uint32_t* acc, int32_t pixels,
                        int32_t oc, int32_t count, int8_t* out) {
  for (int32_t j = 0; j < count; ++j) {
    const fast::ChannelRequant r = fast::channel_requant(q, oc + j);
    for (int32_t k = 0; k < pixels; ++k) {
      out[k * p.g.out_ch + oc + j] = static_cast<int8_t>(fast::requantize(acc[k * 4 + j], r, q));
    }
  }
}

// Channel blocks covering [lo, hi): blocks of 4, the last one moved back to
// end at hi (a few channels computed twice, same values); with fewer than 4
// channels, one block per channel whose weight row repeats (stride 0).
template <typename Fn>
inline void for_each_block(int32_t lo, int32_t hi, int32_t per_oc, Fn&& fn) {
  if (hi - lo >= 4) {
    for (int32_t oc = lo; oc < hi; oc += 4) fn(oc + 4 <= hi ? oc : hi - 4, per_oc, 4);
  } else {
    for (int32_t oc = lo; oc < hi; ++oc) fn(oc, 0, 1);
  }
}

[[maybe_unused]] void conv_row(const ConvPlan& p, const int8_t* input, const int32_t* bias, const uint32_t* folded,
              int32_t chunk_lo, int32_t chunk_hi, int32_t b, int32_t oy, int8_t* output) {
  const ConvGeometry& g = p.g;
  const RequantParams q = p.q;
  const int32_t y0 = oy * g.stride_h - g.pad_h;
  const TapRange ty = valid_taps(y0, g.dilation_h, g.filter_h, g.in_h);
  const bool rows_full = ty.begin == 0 && ty.end == g.filter_h;
  const int8_t* batch_in = input + b * g.in_h * g.in_w * g.in_ch;
  int8_t* row_out = output + ((b * g.out_h + oy) * g.out_w) * g.out_ch;
  for (int32_t ox = 0; ox < g.out_w;) {
    const int32_t x0 = ox * g.stride_w - g.pad_w;
    const bool pair = rows_full && ox >= p.interior_lo && ox + 1 < p.interior_hi;
    int8_t* out = row_out + ox * g.out_ch;
    if (pair) {
      const int8_t* xa = batch_in + (y0 * g.in_w + x0) * g.in_ch;
      const fast::Window win{g.filter_h, p.filter_row, p.input_row, p.filter_row};
      for_each_block(chunk_lo, chunk_hi, p.per_oc, [&](int32_t oc, int32_t w_stride, int32_t count) {
        uint32_t acc[8];
        for (int32_t j = 0; j < 4; ++j) acc[j] = acc[4 + j] = folded[oc - chunk_lo + (j < count ? j : 0)];
        fast::mac_4x2(xa, xa + p.pixel_step, p.filter + oc * p.per_oc, w_stride, win, acc);
        store_block(p, q, acc, 2, oc, count, out);
      });
      ox += 2;
      continue;
    }
    // One pixel, valid taps only, offset applied to the input.
    const TapRange tx = valid_taps(x0, 1, g.filter_w, g.in_w);
    const int32_t rows = ty.end - ty.begin, cols = tx.end - tx.begin;
    const bool empty = rows <= 0 || cols <= 0;
    const int8_t* xa = empty ? batch_in
                             : batch_in + ((y0 + ty.begin * g.dilation_h) * g.in_w + x0 + tx.begin) * g.in_ch;
    const fast::Window win{empty ? 0 : rows, cols * g.in_ch, p.input_row, p.filter_row};
    const int32_t first_tap = (ty.begin * g.filter_w + tx.begin) * g.in_ch;
    for_each_block(chunk_lo, chunk_hi, p.per_oc, [&](int32_t oc, int32_t w_stride, int32_t count) {
      uint32_t acc[4];
      for (int32_t j = 0; j < 4; ++j) {
        acc[j] = bias != nullptr ? static_cast<uint32_t>(bias[oc + (j < count ? j : 0)]) : 0u;
      }
      fast::mac_4x1_offset(xa, p.filter + oc * p.per_oc + first_tap, w_stride, win, q.input_offset, acc);
      store_block(p, q, acc, 1, oc, count, out);
    });
    ++ox;
  }
}

#if defined(KILN_ISA_V)
// RVV, any filter (dilation along x is 1 here): 16 output channels per
// vector, one pixel at a time through its valid taps, one strided dot
// product per window row with the input offset in the loop, then the
// vector requantization.
void conv_row_rvv(const ConvPlan& p, const fast::RvvRequant& rq, const int8_t* input, const int32_t* bias,
                  int32_t lo, int32_t hi, int32_t b, int32_t oy, int8_t* output) {
  const ConvGeometry& g = p.g;
  const RequantParams q = p.q;
  const int32_t y0 = oy * g.stride_h - g.pad_h;
  const TapRange ty = valid_taps(y0, g.dilation_h, g.filter_h, g.in_h);
  const int8_t* batch_in = input + b * g.in_h * g.in_w * g.in_ch;
  int8_t* row_out = output + ((b * g.out_h + oy) * g.out_w) * g.out_ch;
  for (int32_t ox = 0; ox < g.out_w; ++ox) {
    const int32_t x0 = ox * g.stride_w - g.pad_w;
    const TapRange tx = valid_taps(x0, 1, g.filter_w, g.in_w);
    const int32_t rows = tx.end > tx.begin ? ty.end - ty.begin : 0;
    const int32_t n = (tx.end - tx.begin) * g.in_ch;
    const int8_t* xa =
        rows > 0 ? batch_in + ((y0 + ty.begin * g.dilation_h) * g.in_w + x0 + tx.begin) * g.in_ch : batch_in;
    const int32_t first_tap = rows > 0 ? (ty.begin * g.filter_w + tx.begin) * g.in_ch : 0;
    int8_t* out = row_out + ox * g.out_ch;
    for (int32_t oc = lo; oc < hi; oc += 16) {
      const int32_t vl = hi - oc < 16 ? hi - oc : 16;
      uint32_t acc[16];
      const int32_t* init = fast::rvv_init(bias, oc);
      const int8_t* w = p.filter + oc * p.per_oc + first_tap;
      for (int32_t r = 0; r < rows; ++r) {
        fast::mac_16x1_rvv(xa + r * p.input_row, w + r * p.filter_row, p.per_oc, n, q.input_offset, vl, init, acc);
        init = reinterpret_cast<const int32_t*>(acc);
      }
      if (rows <= 0) {
        for (int32_t j = 0; j < vl; ++j) acc[j] = static_cast<uint32_t>(init[j]);
      }
      fast::rvv_requant(rq, q, acc, oc, vl, out + oc);
    }
  }
}
#endif

// 1x1, stride 1, no padding: a matrix product over the image's pixels taken
// as one list, in pairs that may straddle output rows (polled once a row).
bool pointwise(const ConvPlan& p, const int8_t* input, const int32_t* bias, const uint32_t* folded,
               int32_t lo, int32_t hi, const Poll& poll, int8_t* output) {
  const ConvGeometry& g = p.g;
  const RequantParams q = p.q;
  const int32_t pixels = g.batches * g.out_h * g.out_w;
  int32_t next_poll = 0;
#if defined(KILN_ISA_V)
  // RVV: 16 output channels per vector, one pixel at a time, input offset
  // applied in the loop (so `folded` is not needed).
  (void)folded;
  fast::RvvRequant rq;
  fast::rvv_requant_init(rq, q);
  for (int32_t px = 0; px < pixels; ++px) {
    if (px >= next_poll) {
      if (poll.should_stop()) return false;
      next_poll += g.out_w;
    }
    const int8_t* x = input + px * g.in_ch;
    int8_t* out = output + px * g.out_ch;
    for (int32_t oc = lo; oc < hi; oc += 16) {
      const int32_t vl = hi - oc < 16 ? hi - oc : 16;
      uint32_t acc[16];
      fast::mac_16x1_rvv(x, p.filter + oc * p.per_oc, p.per_oc, g.in_ch, q.input_offset, vl,
                         fast::rvv_init(bias, oc), acc);
      fast::rvv_requant(rq, q, acc, oc, vl, out + oc);
    }
  }
  return true;
#endif
  for (int32_t px = 0; px < pixels;) {
    if (px >= next_poll) {
      if (poll.should_stop()) return false;
      next_poll += g.out_w;
    }
    const int8_t* x = input + px * g.in_ch;
    int8_t* out = output + px * g.out_ch;
    if (px + 1 < pixels) {
      for_each_block(lo, hi, p.per_oc, [&](int32_t oc, int32_t w_stride, int32_t count) {
        uint32_t acc[8];
        for (int32_t j = 0; j < 4; ++j) acc[j] = acc[4 + j] = folded[oc - lo + (j < count ? j : 0)];
        fast::mac_4x2_span(x, x + g.in_ch, p.filter + oc * p.per_oc, w_stride, g.in_ch, acc);
        store_block(p, q, acc, 2, oc, count, out);
      });
      px += 2;
      continue;
    }
    const fast::Window win{1, g.in_ch, 0, 0};
    for_each_block(lo, hi, p.per_oc, [&](int32_t oc, int32_t w_stride, int32_t count) {
      uint32_t acc[4];
      for (int32_t j = 0; j < 4; ++j) {
        acc[j] = bias != nullptr ? static_cast<uint32_t>(bias[oc + (j < count ? j : 0)]) : 0u;
      }
      fast::mac_4x1_offset(x, p.filter + oc * p.per_oc, w_stride, win, q.input_offset, acc);
      store_block(p, q, acc, 1, oc, count, out);
    });
    ++px;
  }
  return true;
}

}  // namespace
#endif

bool conv_int8(const ConvGeometry& g, int32_t filter_in_ch, const RequantParams& q, const int8_t* input,
               const int8_t* filter, const int32_t* bias, int8_t* output, const Poll& poll) {
#if !defined(KILN_KERNELS_REFERENCE)
  // Fewer than 4 output channels or a single output pixel leave the blocks
  // mostly empty: the reference loop is cheaper there.
  const bool worth_it = g.out_ch >= 4 && g.batches * g.out_h * g.out_w >= 2;
  const bool covered =
      worth_it && filter_in_ch == g.in_ch && g.dilation_w == 1 && fast::multipliers_ok(q, g.out_ch);
  if (covered) {
    ConvPlan p{g, q, filter, 0, 0, 0, 0, 0, 0};
    p.filter_row = g.filter_w * g.in_ch;
    p.per_oc = g.filter_h * p.filter_row;
    p.input_row = g.dilation_h * g.in_w * g.in_ch;
    p.pixel_step = g.stride_w * g.in_ch;
    p.interior_lo = ceil_div_pos(g.pad_w, g.stride_w);
    // Last ox with ox·stride − pad + filter_w − 1 <= in_w − 1.
    const int32_t span = g.in_w - g.filter_w + g.pad_w;
    p.interior_hi = span < 0 ? 0 : span / g.stride_w + 1;
    if (p.interior_hi > g.out_w) p.interior_hi = g.out_w;
    const bool is_pointwise = g.filter_h == 1 && g.filter_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
                              g.pad_h == 0 && g.pad_w == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
    uint32_t folded[kChunk];
    for (int32_t lo = 0; lo < g.out_ch; lo += kChunk) {
      const int32_t hi = g.out_ch - lo < kChunk ? g.out_ch : lo + kChunk;
      // Interior start: bias + offset · Σ w (wrapping, as the reference sums).
      for (int32_t oc = lo; oc < hi; ++oc) {
        const uint32_t sum = fast::sum_int8(filter + oc * p.per_oc, p.per_oc);
        folded[oc - lo] = (bias != nullptr ? static_cast<uint32_t>(bias[oc]) : 0u) +
                          sum * static_cast<uint32_t>(q.input_offset);
      }
      if (is_pointwise) {
        if (!pointwise(p, input, bias, folded, lo, hi, poll, output)) return false;
        continue;
      }
#if defined(KILN_ISA_V)
      fast::RvvRequant rq;
      fast::rvv_requant_init(rq, q);
#endif
      for (int32_t b = 0; b < g.batches; ++b) {
        for (int32_t oy = 0; oy < g.out_h; ++oy) {
          if (poll.should_stop()) return false;
#if defined(KILN_ISA_V)
          conv_row_rvv(p, rq, input, bias, lo, hi, b, oy, output);
#else
          conv_row(p, input, bias, folded, lo, hi, b, oy, output);
#endif
        }
      }
    }
    return true;
  }
#endif
  return conv_int8_reference(g, filter_in_ch, q, input, filter, bias, output, poll);
}

}  // namespace kiln::kernels
