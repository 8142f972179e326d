// kernels-check: the optimized INT8 kernels against the reference kernels ON
// THE TARGET, on thousands of randomized shapes: covers what host tests
// cannot (the rv32 assembly loop, the RVV variant). Prints key=value lines
// (cases=, mismatches=, first_mismatch=) and exits non-zero on a mismatch.
// Static buffers only; the shapes are bounded to fit them.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kiln/kernels/conv.h"
#include "kiln/kernels/depthwise_conv.h"
#include "kiln/kernels/fully_connected.h"
#include "kiln/kernels/isa.h"
#include "kiln/kernels/reference.h"
#include "kiln/kernels/requant.h"
#if defined(KILN_ISA_V)
#include "int8_fast.h"  // the RVV requantization, checked value by value below
#endif

namespace {

using namespace kiln::kernels;

uint32_t g_state = 12345u;
uint32_t next_u32() {  // xorshift32: the same sequence on every run
  g_state ^= g_state << 13;
  g_state ^= g_state >> 17;
  g_state ^= g_state << 5;
  return g_state;
}
int32_t pick(int32_t lo, int32_t hi) { return lo + static_cast<int32_t>(next_u32() % static_cast<uint32_t>(hi - lo + 1)); }

constexpr int32_t kMaxCh = 80;
int8_t g_in[2 * 9 * 11 * kMaxCh];
int8_t g_w[kMaxCh * 4 * 4 * kMaxCh];
int32_t g_bias[kMaxCh * 3];
int32_t g_mult[kMaxCh * 3];
int8_t g_shift[kMaxCh * 3];
int8_t g_want[2 * 9 * 11 * kMaxCh * 3];
int8_t g_got[2 * 9 * 11 * kMaxCh * 3];

void fill(int8_t* p, int32_t n, int32_t lo, int32_t hi) {
  for (int32_t i = 0; i < n; ++i) p[i] = static_cast<int8_t>(pick(lo, hi));
}

RequantParams random_requant(int32_t channels) {
  const bool per_channel = pick(0, 3) != 0;
  const int32_t n = per_channel ? channels : 1;
  for (int32_t i = 0; i < n; ++i) {
    g_mult[i] = pick(1 << 30, 0x7FFFFFFF);
    g_shift[i] = static_cast<int8_t>(pick(0, 7) == 0 ? pick(-31, 30) : pick(-12, 2));
  }
  RequantParams q;
  q.multipliers = g_mult;
  q.shifts = g_shift;
  q.channel_mask = per_channel ? 0xFFFFFFFFu : 0u;
  q.input_offset = -pick(-128, 127);
  q.output_offset = pick(-128, 127);
  q.act_min = pick(0, 1) ? -128 : pick(-128, 0);
  q.act_max = pick(0, 1) ? 127 : pick(q.act_min, 127);
  return q;
}

ConvGeometry random_geometry(bool same) {
  ConvGeometry g;
  g.batches = pick(1, 2);
  g.in_h = pick(1, 9);
  g.in_w = pick(1, 11);
  g.in_ch = pick(0, 5) == 0 ? pick(17, kMaxCh) : pick(1, 13);
  g.filter_h = pick(1, 4);
  g.filter_w = pick(1, 4);
  g.stride_h = pick(1, 3);
  g.stride_w = pick(1, 3);
  g.dilation_h = pick(0, 3) == 0 ? 2 : 1;
  g.dilation_w = pick(0, 5) == 0 ? 2 : 1;
  const int32_t eh = (g.filter_h - 1) * g.dilation_h + 1, ew = (g.filter_w - 1) * g.dilation_w + 1;
  if (same || g.in_h < eh || g.in_w < ew) {
    g.out_h = (g.in_h + g.stride_h - 1) / g.stride_h;
    g.out_w = (g.in_w + g.stride_w - 1) / g.stride_w;
    const int32_t th = (g.out_h - 1) * g.stride_h + eh - g.in_h, tw = (g.out_w - 1) * g.stride_w + ew - g.in_w;
    g.pad_h = th > 0 ? th / 2 : 0;
    g.pad_w = tw > 0 ? tw / 2 : 0;
  } else {
    g.out_h = (g.in_h - eh) / g.stride_h + 1;
    g.out_w = (g.in_w - ew) / g.stride_w + 1;
  }
  return g;
}

int g_mismatches = 0;
int g_cases = 0;
// Fresh output buffers before every call: stale bytes cannot match.
void clear_outputs() {
  memset(g_want, 0x55, sizeof(g_want));
  memset(g_got, 0x2A, sizeof(g_got));
}

void check(const char* what, int32_t n) {
  ++g_cases;
  if (memcmp(g_want, g_got, static_cast<size_t>(n)) != 0) {
    if (g_mismatches == 0) printf("first_mismatch=%s case %d\n", what, g_cases);
    ++g_mismatches;
  }
}

#if defined(KILN_ISA_V)
// The vector requantization against the scalar reference, value by value:
// edge accumulators (INT32_MIN/MAX, +-1), exact rounding ties, edge and
// negative multipliers, shifts -31..30, per-tensor and per-channel, vector
// lengths 1..16. Prints requant_values= and requant_mismatches=.
void check_rvv_requant() {
  int32_t mult[16];
  int8_t shift[16];
  uint32_t acc[16];
  int8_t out[16];
  const int32_t edge_acc[] = {INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX, INT32_MAX - 1, -2, 2, 1 << 30, -(1 << 30)};
  const int32_t edge_mult[] = {1 << 30, INT32_MAX, INT32_MIN + 1, 1, -1, -(1 << 30), 0x40000001};
  long values = 0, bad = 0;
  for (int it = 0; it < 24000; ++it) {
    RequantParams q;
    const bool per_channel = (it % 4) != 0;
    for (int j = 0; j < 16; ++j) {
      mult[j] = (next_u32() & 7) == 0 ? edge_mult[next_u32() % 7] : pick(1 << 30, INT32_MAX);
      if ((next_u32() & 15) == 0) mult[j] = -mult[j];
      shift[j] = static_cast<int8_t>((next_u32() & 3) == 0 ? pick(-31, 30) : pick(-12, 2));
    }
    q.multipliers = mult;
    q.shifts = shift;
    q.channel_mask = per_channel ? 0xFFFFFFFFu : 0u;
    q.output_offset = pick(-128, 127);
    q.act_min = (next_u32() & 1) ? -128 : pick(-128, 0);
    q.act_max = (next_u32() & 1) ? 127 : pick(q.act_min, 127);
    const int32_t vl = pick(1, 16);
    for (int j = 0; j < vl; ++j) {
      const uint32_t kind = next_u32() % 5;
      int32_t a;
      if (kind == 0) {
        a = edge_acc[next_u32() % 11];
      } else if (kind == 1) {  // an exact tie of the rounding shift
        const int32_t s = shift[per_channel ? j : 0];
        a = static_cast<int32_t>(next_u32());
        if (s < 0) a = static_cast<int32_t>(static_cast<uint32_t>(a) & ~((1u << (-s)) - 1u));
      } else if (kind == 2) {
        a = pick(-5000, 5000);
      } else {
        a = static_cast<int32_t>(next_u32());
      }
      acc[j] = static_cast<uint32_t>(a);
    }
    fast::RvvRequant rq;
    fast::rvv_requant_init(rq, q);
    fast::rvv_requant(rq, q, acc, 0, vl, out);
    for (int j = 0; j < vl; ++j) {
      ++values;
      if (requantize_int8(static_cast<int32_t>(acc[j]), j, q) != out[j]) ++bad;
    }
  }
  printf("requant_values=%ld\nrequant_mismatches=%ld\n", values, bad);
  g_mismatches += bad != 0;
}
#endif

}  // namespace

int main() {
  for (int i = 0; i < 600; ++i) {  // CONV_2D
    ConvGeometry g = random_geometry(pick(0, 1));
    g.out_ch = pick(1, i % 7 == 0 ? 70 : 11);
    const RequantParams q = random_requant(g.out_ch);
    fill(g_in, g.batches * g.in_h * g.in_w * g.in_ch, -128, 127);
    fill(g_w, g.out_ch * g.filter_h * g.filter_w * g.in_ch, -127, 127);
    for (int32_t c = 0; c < g.out_ch; ++c) g_bias[c] = pick(-100000, 100000);
    const int32_t n = g.batches * g.out_h * g.out_w * g.out_ch;
    const int32_t* bias = pick(0, 4) ? g_bias : nullptr;
    clear_outputs();
    (void)conv_int8_reference(g, g.in_ch, q, g_in, g_w, bias, g_want);
    (void)conv_int8(g, g.in_ch, q, g_in, g_w, bias, g_got);
    check("conv", n);
  }
  for (int i = 0; i < 600; ++i) {  // DEPTHWISE_CONV_2D
    ConvGeometry g = random_geometry(pick(0, 1));
    if (g.in_ch > 40) g.in_ch = 40;
    const int32_t dm = pick(0, 5) == 0 ? pick(2, 3) : 1;
    g.out_ch = g.in_ch * dm;
    const RequantParams q = random_requant(g.out_ch);
    fill(g_in, g.batches * g.in_h * g.in_w * g.in_ch, -128, 127);
    fill(g_w, g.out_ch * g.filter_h * g.filter_w, -127, 127);
    for (int32_t c = 0; c < g.out_ch; ++c) g_bias[c] = pick(-100000, 100000);
    const int32_t n = g.batches * g.out_h * g.out_w * g.out_ch;
    const int32_t* bias = pick(0, 4) ? g_bias : nullptr;
    clear_outputs();
    (void)depthwise_conv_int8_reference(g, dm, q, g_in, g_w, bias, g_want);
    (void)depthwise_conv_int8(g, dm, q, g_in, g_w, bias, g_got);
    check("depthwise", n);
  }
  for (int i = 0; i < 600; ++i) {  // FULLY_CONNECTED
    FullyConnectedShape s;
    s.batches = pick(1, 3);
    s.accum_depth = pick(1, 70);
    s.units = pick(1, 70);
    const RequantParams q = random_requant(s.units);
    fill(g_in, s.batches * s.accum_depth, -128, 127);
    fill(g_w, s.units * s.accum_depth, -127, 127);
    for (int32_t c = 0; c < s.units; ++c) g_bias[c] = pick(-100000, 100000);
    const int32_t* bias = pick(0, 4) ? g_bias : nullptr;
    clear_outputs();
    (void)fully_connected_int8_reference(s, q, g_in, g_w, bias, g_want);
    (void)fully_connected_int8(s, q, g_in, g_w, bias, g_got);
    check("fully_connected", s.batches * s.units);
  }
#if defined(KILN_ISA_V)
  check_rvv_requant();
#endif
  printf("cases=%d\nmismatches=%d\n", g_cases, g_mismatches);
  if (g_mismatches != 0) printf("error=%d of %d cases differ from the reference\n", g_mismatches, g_cases);
  return g_mismatches == 0 ? 0 : 1;
}
