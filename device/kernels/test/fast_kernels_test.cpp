// The optimized INT8 kernels against the reference kernels (the oracle):
// thousands of randomized shapes, byte-for-byte equal outputs.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "../int8_fast.h"
#include "conv_reference.h"
#include "kiln/kernels/conv.h"
#include "kiln/kernels/depthwise_conv.h"
#include "kiln/kernels/fully_connected.h"
#include "kiln/kernels/reference.h"

namespace kiln::kernels {
namespace {

using testref::random_vector;

int32_t pick(std::mt19937& rng, int32_t lo, int32_t hi) {
  return std::uniform_int_distribution<int32_t>(lo, hi)(rng);
}

// Random per-channel (or per-tensor) multipliers with shifts across the
// whole range the kernels accept, incl. left shifts; clamps random too.
struct RandomRequant {
  std::vector<int32_t> multipliers;
  std::vector<int8_t> shifts;
  RequantParams q;
  RandomRequant(std::mt19937& rng, int32_t channels) {
    const bool per_channel = pick(rng, 0, 3) != 0;
    const int32_t n = per_channel ? channels : 1;
    for (int32_t i = 0; i < n; ++i) {
      multipliers.push_back(pick(rng, 0, 9) == 0 ? pick(rng, 0, INT32_MAX) : pick(rng, 1 << 30, INT32_MAX));
      shifts.push_back(static_cast<int8_t>(pick(rng, 0, 7) == 0 ? pick(rng, -31, 30) : pick(rng, -12, 2)));
    }
    q.multipliers = multipliers.data();
    q.shifts = shifts.data();
    q.channel_mask = per_channel ? 0xFFFFFFFFu : 0u;
    q.input_offset = -pick(rng, -128, 127);
    q.output_offset = pick(rng, -128, 127);
    q.act_min = pick(rng, 0, 1) ? -128 : pick(rng, -128, 0);
    q.act_max = pick(rng, 0, 1) ? 127 : pick(rng, q.act_min, 127);
  }
};

ConvGeometry random_geometry(std::mt19937& rng, bool depthwise) {
  ConvGeometry g;
  g.batches = pick(rng, 1, 2);
  g.in_h = pick(rng, 1, 9);
  g.in_w = pick(rng, 1, 11);
  g.in_ch = pick(rng, 1, 13);
  g.filter_h = pick(rng, 1, 4);
  g.filter_w = pick(rng, 1, 4);
  g.stride_h = pick(rng, 1, 3);
  g.stride_w = pick(rng, 1, 3);
  g.dilation_h = pick(rng, 0, 3) == 0 ? 2 : 1;
  g.dilation_w = pick(rng, 0, 3) == 0 ? pick(rng, 2, 3) : 1;
  g.out_ch = depthwise ? g.in_ch : pick(rng, 1, 11);
  if (pick(rng, 0, 1)) {
    testref::same_padding(g);
  } else {
    testref::valid_padding(g);
    if (g.out_h <= 0 || g.out_w <= 0) testref::same_padding(g);
  }
  return g;
}

// Poll that never stops but counts calls (the kernels must still poll).
struct CountingPoll {
  int calls = 0;
  static bool stop(void* self) {
    ++static_cast<CountingPoll*>(self)->calls;
    return false;
  }
};

TEST(FastRequant, MatchesReferenceHelperOnEdgeAndRandomValues) {
  std::mt19937 rng(7);
  const int32_t edges[] = {0, 1, -1, INT32_MAX, INT32_MIN, INT32_MIN + 1, 1 << 30, -(1 << 30), 12345, -98765};
  for (int i = 0; i < 200000; ++i) {
    const int32_t acc = i < 1000 ? edges[i % 10] : static_cast<int32_t>(rng());
    int32_t m = i < 1000 ? edges[(i / 10) % 10] : static_cast<int32_t>(rng());
    if (m == INT32_MIN) m = INT32_MAX;  // the saturating corner is excluded by multipliers_ok
    const int8_t s = static_cast<int8_t>(pick(rng, -31, 30));
    RequantParams q;
    q.multipliers = &m;
    q.shifts = &s;
    q.act_min = INT32_MIN;
    q.act_max = INT32_MAX;
    const int32_t got = fast::requantize(static_cast<uint32_t>(acc), fast::channel_requant(q, 0), q);
    ASSERT_EQ(got, multiply_by_quantized_multiplier(acc, m, s)) << acc << " " << m << " " << int(s);
  }
}

TEST(FastConv, BitExactWithReferenceOnRandomShapes) {
  std::mt19937 rng(1);
  int fast_cases = 0;
  for (int i = 0; i < 3000; ++i) {
    ConvGeometry g = random_geometry(rng, false);
    const RandomRequant r(rng, g.out_ch);
    const auto in = random_vector<int8_t>(rng, size_t(g.batches) * g.in_h * g.in_w * g.in_ch, -128, 127);
    const auto w = random_vector<int8_t>(rng, size_t(g.out_ch) * g.filter_h * g.filter_w * g.in_ch, -127, 127);
    const auto bias = random_vector<int32_t>(rng, g.out_ch, -100000, 100000);
    const int32_t* b = pick(rng, 0, 4) ? bias.data() : nullptr;
    const size_t n = size_t(g.batches) * g.out_h * g.out_w * g.out_ch;
    std::vector<int8_t> want(n, 0x55), got(n, 0x33);
    ASSERT_TRUE(conv_int8_reference(g, g.in_ch, r.q, in.data(), w.data(), b, want.data()));
    CountingPoll counter;
    ASSERT_TRUE(conv_int8(g, g.in_ch, r.q, in.data(), w.data(), b, got.data(), Poll{CountingPoll::stop, &counter}));
    ASSERT_EQ(got, want) << "case " << i << " in " << g.in_h << "x" << g.in_w << "x" << g.in_ch << " f "
                         << g.filter_h << "x" << g.filter_w << " s " << g.stride_h << "," << g.stride_w << " d "
                         << g.dilation_h << "," << g.dilation_w << " pad " << g.pad_h << "," << g.pad_w
                         << " out_ch " << g.out_ch;
    EXPECT_GE(counter.calls, g.batches * g.out_h);  // at least once per output row
    fast_cases += g.dilation_w == 1;
  }
  EXPECT_GT(fast_cases, 1500);
}

TEST(FastConv, PointwiseAndLargeChannelCounts) {
  std::mt19937 rng(2);
  for (int i = 0; i < 60; ++i) {
    ConvGeometry g;
    g.in_h = pick(rng, 1, 6);
    g.in_w = pick(rng, 1, 7);
    g.in_ch = pick(rng, 1, 80);
    g.out_ch = pick(rng, 60, 150);  // several 64-channel chunks
    g.filter_h = g.filter_w = i % 2 ? 1 : 3;
    testref::same_padding(g);
    const RandomRequant r(rng, g.out_ch);
    const auto in = random_vector<int8_t>(rng, size_t(g.in_h) * g.in_w * g.in_ch, -128, 127);
    const auto w = random_vector<int8_t>(rng, size_t(g.out_ch) * g.filter_h * g.filter_w * g.in_ch, -127, 127);
    const auto bias = random_vector<int32_t>(rng, g.out_ch, -1000000, 1000000);
    const size_t n = size_t(g.out_h) * g.out_w * g.out_ch;
    std::vector<int8_t> want(n), got(n);
    ASSERT_TRUE(conv_int8_reference(g, g.in_ch, r.q, in.data(), w.data(), bias.data(), want.data()));
    ASSERT_TRUE(conv_int8(g, g.in_ch, r.q, in.data(), w.data(), bias.data(), got.data()));
    ASSERT_EQ(got, want) << "case " << i;
  }
}

TEST(FastConv, StopsWhenPollSaysSo) {
  ConvGeometry g;
  g.in_h = g.in_w = 8;
  g.in_ch = 4;
  g.out_ch = 8;
  g.filter_h = g.filter_w = 1;
  testref::same_padding(g);
  std::mt19937 rng(3);
  const RandomRequant r(rng, g.out_ch);
  const std::vector<int8_t> in(8 * 8 * 4, 1), w(8 * 4, 1);
  std::vector<int8_t> out(8 * 8 * 8, 0);
  Poll stop_now{[](void*) { return true; }, nullptr};
  EXPECT_FALSE(conv_int8(g, 4, r.q, in.data(), w.data(), nullptr, out.data(), stop_now));
}

TEST(FastDepthwise, BitExactWithReferenceOnRandomShapes) {
  std::mt19937 rng(4);
  for (int i = 0; i < 3000; ++i) {
    ConvGeometry g = random_geometry(rng, true);
    const int32_t dm = pick(rng, 0, 5) == 0 ? pick(rng, 2, 3) : 1;
    g.out_ch = g.in_ch * dm;
    if (i % 10 == 0) g.in_ch = g.out_ch = pick(rng, 60, 140);  // chunks of 64
    const RandomRequant r(rng, g.out_ch);
    const auto in = random_vector<int8_t>(rng, size_t(g.batches) * g.in_h * g.in_w * g.in_ch, -128, 127);
    const auto w = random_vector<int8_t>(rng, size_t(g.out_ch) * g.filter_h * g.filter_w, -127, 127);
    const auto bias = random_vector<int32_t>(rng, g.out_ch, -100000, 100000);
    const int32_t* b = pick(rng, 0, 4) ? bias.data() : nullptr;
    const int32_t mult = g.out_ch / g.in_ch;
    const size_t n = size_t(g.batches) * g.out_h * g.out_w * g.out_ch;
    std::vector<int8_t> want(n, 0x55), got(n, 0x33);
    ASSERT_TRUE(depthwise_conv_int8_reference(g, mult, r.q, in.data(), w.data(), b, want.data()));
    CountingPoll counter;
    ASSERT_TRUE(depthwise_conv_int8(g, mult, r.q, in.data(), w.data(), b, got.data(),
                                    Poll{CountingPoll::stop, &counter}));
    ASSERT_EQ(got, want) << "case " << i << " in " << g.in_h << "x" << g.in_w << "x" << g.in_ch << " f "
                         << g.filter_h << "x" << g.filter_w << " s " << g.stride_h << "," << g.stride_w << " d "
                         << g.dilation_h << "," << g.dilation_w << " pad " << g.pad_h << "," << g.pad_w
                         << " dm " << mult;
    EXPECT_GE(counter.calls, g.batches * g.out_h);
  }
}

TEST(FastFullyConnected, BitExactWithReferenceOnRandomShapes) {
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {
    FullyConnectedShape s;
    s.batches = pick(rng, 1, 3);
    s.accum_depth = pick(rng, 1, 70);
    s.units = pick(rng, 1, 70);
    const RandomRequant r(rng, s.units);
    const auto in = random_vector<int8_t>(rng, size_t(s.batches) * s.accum_depth, -128, 127);
    const auto w = random_vector<int8_t>(rng, size_t(s.units) * s.accum_depth, -127, 127);
    const auto bias = random_vector<int32_t>(rng, s.units, -100000, 100000);
    const int32_t* b = pick(rng, 0, 4) ? bias.data() : nullptr;
    std::vector<int8_t> want(size_t(s.batches) * s.units, 0x55), got(want.size(), 0x33);
    ASSERT_TRUE(fully_connected_int8_reference(s, r.q, in.data(), w.data(), b, want.data()));
    ASSERT_TRUE(fully_connected_int8(s, r.q, in.data(), w.data(), b, got.data()));
    ASSERT_EQ(got, want) << "case " << i << " depth " << s.accum_depth << " units " << s.units;
  }
}

TEST(FastKernels, SaturatingMultiplierFallsBackToReference) {
  // multiplier INT32_MIN (never produced by quantize_multiplier) takes the
  // reference path, whose high multiply saturates.
  FullyConnectedShape s;
  s.accum_depth = 3;
  s.units = 2;
  const int32_t m = INT32_MIN;
  const int8_t sh = 0;
  RequantParams q;
  q.multipliers = &m;
  q.shifts = &sh;
  q.act_min = -128;
  q.act_max = 127;
  const std::vector<int8_t> in = {1, 2, 3}, w = {1, 1, 1, -1, -1, -1};
  std::vector<int8_t> want(2), got(2);
  ASSERT_TRUE(fully_connected_int8_reference(s, q, in.data(), w.data(), nullptr, want.data()));
  ASSERT_TRUE(fully_connected_int8(s, q, in.data(), w.data(), nullptr, got.data()));
  EXPECT_EQ(got, want);
  EXPECT_EQ(got[0], -6);
  EXPECT_EQ(got[1], 6);
}

}  // namespace
}  // namespace kiln::kernels
