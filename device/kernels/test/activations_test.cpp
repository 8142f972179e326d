// RELU / RELU6 / LEAKY_RELU against hand-computed requantization: scale
// changes, negative zero points, double-rounding ties, negative alpha.
#include "kiln/kernels/activations.h"

#include <gtest/gtest.h>
#include <math.h>

namespace kiln::kernels {
namespace {

TEST(ReluInt8, RequantizesAndClampsAtOutputZero) {
  ReluParams p;
  // in: scale 0.5, zp -10; out: scale 0.25, zp 5 (real multiplier 2).
  ASSERT_TRUE(make_relu_params(0.5f, -10, 0.25f, 5, INT8_MIN, INT8_MAX, &p));
  EXPECT_EQ(p.multiplier, 1 << 30);
  EXPECT_EQ(p.shift, 2);
  EXPECT_EQ(p.act_min, 5);
  EXPECT_EQ(p.act_max, 127);
  const int8_t in[] = {-10, -12, -7, 50, 127};
  int8_t out[5];
  relu_int8(p, in, out, 5);
  // 0 -> 5; -1.0 -> clamp 5; 1.5 -> 6 steps -> 11; 30 -> 125; 68.5 -> 279 -> 127.
  const int8_t want[] = {5, 5, 11, 125, 127};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(ReluInt8, ZeroPointBelowRangeKeepsTypeMinimum) {
  ReluParams p;
  ASSERT_TRUE(make_relu_params(1.0f, 0, 1.0f, -128, INT8_MIN, INT8_MAX, &p));
  EXPECT_EQ(p.act_min, -128);
  const int8_t in[] = {-3, 0, 3};
  int8_t out[3];
  relu_int8(p, in, out, 3);
  EXPECT_EQ(out[0], -128);  // -3 - 128 clamps to -128 (= real 0)
  EXPECT_EQ(out[1], -128);
  EXPECT_EQ(out[2], -125);
}

TEST(ReluInt16, HalvingScaleRoundsTies) {
  ReluParams p;
  ASSERT_TRUE(make_relu_params(1.0f, 0, 2.0f, 0, INT16_MIN, INT16_MAX, &p));
  const int16_t in[] = {3, 5, -3, 32767};
  int16_t out[4];
  relu_int16(p, in, out, 4);
  // 1.5 -> 2 and 2.5 -> 3 (ties resolved by the doubling high multiply, upward).
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[1], 3);
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], 16384);
}

TEST(ReluFloat, Basic) {
  const float in[] = {-1.5f, 0.0f, 2.25f};
  float out[3];
  relu_float(in, out, 3);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_EQ(out[2], 2.25f);
}

TEST(Relu6, BoundsInTheInputQuantization) {
  int32_t lo = 0, hi = 0;
  relu6_bounds(0.1f, -20, INT8_MIN, INT8_MAX, &lo, &hi);
  EXPECT_EQ(lo, -20);
  EXPECT_EQ(hi, 40);  // round(6 / 0.1) - 20
  relu6_bounds(0.01f, 0, INT8_MIN, INT8_MAX, &lo, &hi);
  EXPECT_EQ(hi, 127);  // 600 saturates to the type
  relu6_bounds(1e-30f, 0, INT16_MIN, INT16_MAX, &lo, &hi);
  EXPECT_EQ(hi, 32767);
  const int8_t in[] = {-128, -21, -20, 0, 40, 41, 127};
  int8_t out[7];
  clamp_int8(in, out, 7, -20, 40);
  const int8_t want[] = {-20, -20, -20, 0, 40, 40, 40};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(out[i], want[i]) << i;
  const float fin[] = {-1.0f, 3.0f, 6.5f};
  float fout[3];
  relu6_float(fin, fout, 3);
  EXPECT_EQ(fout[0], 0.0f);
  EXPECT_EQ(fout[1], 3.0f);
  EXPECT_EQ(fout[2], 6.0f);
}

TEST(LeakyReluInt16, SeanetAlphaWithDoubleRounding) {
  LeakyReluParams p;
  ASSERT_TRUE(make_leaky_relu_params(1.0f, 0, 1.0f, 0, 0.3f, &p));
  EXPECT_EQ(p.identity_multiplier, 1 << 30);
  EXPECT_EQ(p.identity_shift, 1);
  EXPECT_FALSE(p.alpha_negative);
  // 0.3 in float is 0.300000011920929; 0.6000000238 · 2^31 = 1288490240.
  EXPECT_EQ(p.alpha_multiplier, 1288490240);
  EXPECT_EQ(p.alpha_shift, -1);
  const int16_t in[] = {-10, -5, 0, 7, -32768, 32767};
  int16_t out[6];
  leaky_relu_int16(p, in, out, 6);
  // -3; -1.5 -> -2 (away from zero after the 1-bit shift); 0; 7;
  // -9830.4 -> -9831: the high multiply gives -19661 (of -19660.8), whose
  // half -9830.5 then rounds away from zero (double rounding); 32767.
  const int16_t want[] = {-3, -2, 0, 7, -9831, 32767};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(LeakyReluInt8, ScaleChangeAndZeroPoints) {
  LeakyReluParams p;
  // in: scale 0.5, zp 10; out: scale 0.25, zp -20; alpha 0.25.
  ASSERT_TRUE(make_leaky_relu_params(0.5f, 10, 0.25f, -20, 0.25f, &p));
  const int8_t in[] = {10, 20, 0, -128, 127};
  int8_t out[5];
  leaky_relu_int8(p, in, out, 5);
  // x - zp = 0, 10, -10, -138, 117; identity ×2, alpha ×0.5; then -20.
  const int8_t want[] = {-20, 0, -25, -89, 127};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(LeakyReluInt8, NegativeAlphaFlipsSign) {
  LeakyReluParams p;
  ASSERT_TRUE(make_leaky_relu_params(1.0f, 0, 1.0f, 0, -0.5f, &p));
  EXPECT_TRUE(p.alpha_negative);
  const int8_t in[] = {-4, -3, 4};
  int8_t out[3];
  leaky_relu_int8(p, in, out, 3);
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[1], 1);  // |-3 · 0.5| = 1.5 computed on -3 -> -1 -> negated
  EXPECT_EQ(out[2], 4);
}

TEST(LeakyReluFloat, Basic) {
  const float in[] = {-2.0f, 0.0f, 3.0f};
  float out[3];
  leaky_relu_float(0.25f, in, out, 3);
  EXPECT_EQ(out[0], -0.5f);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_EQ(out[2], 3.0f);
}

}  // namespace
}  // namespace kiln::kernels
