// QUANTIZE / DEQUANTIZE / requantize: hand-computed rounding and clamping,
// plus exhaustive checks against TFLite's formulas written out directly.
#include "kiln/kernels/quantize.h"

#include <gtest/gtest.h>
#include <math.h>

#include <limits>
#include <random>

namespace kiln::kernels {
namespace {

TEST(QuantizeFloat, Int8RoundsHalfAwayAndSaturates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float in[] = {0.25f, -0.25f, 0.75f, -0.75f, 100.0f, -100.0f, nan, 0.0f, 1e30f};
  int8_t out[9];
  quantize_float_to_int8(in, 9, 0.5f, 3, out);
  const int8_t want[] = {4, 2, 5, 1, 127, -128, -128, 3, 127};
  for (int i = 0; i < 9; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(QuantizeFloat, Int16) {
  const float in[] = {0.5f, -1.0f, 1.0f, 3.0517578125e-05f * 0.5f};
  int16_t out[4];
  quantize_float_to_int16(in, 4, 1.0f / 32768, 0, out);
  EXPECT_EQ(out[0], 16384);
  EXPECT_EQ(out[1], -32768);
  EXPECT_EQ(out[2], 32767);
  EXPECT_EQ(out[3], 1);  // half an LSB rounds away from zero
}

TEST(QuantizeFloat, MatchesTfliteFormula) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> x(-3.0f, 3.0f);
  for (int i = 0; i < 2000; ++i) {
    const float v = x(rng);
    int8_t q;
    quantize_float_to_int8(&v, 1, 0.0237f, -7, &q);
    const int32_t ref = static_cast<int32_t>(roundf(v / 0.0237f)) - 7;
    EXPECT_EQ(q, ref < -128 ? -128 : (ref > 127 ? 127 : ref)) << v;
  }
}

TEST(Requantize, Int8ToInt8) {
  RequantizeParams p;
  ASSERT_TRUE(make_requantize_params(1.0f, 5, 2.0f, -3, &p));  // ratio 0.5
  const int8_t in[] = {5, 8, 2, 127, -128};
  int8_t out[5];
  requantize(p, in, 5, out);
  // 0 -> -3; 1.5 -> 2 -> -1; -1.5 -> -1 (tie toward +inf in the high multiply) -> -4;
  // 61 -> 58; -66.5 -> -66 -> -69.
  const int8_t want[] = {-3, -1, -4, 58, -69};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(Requantize, Int16ToInt32AndInt8) {
  RequantizeParams up;
  ASSERT_TRUE(make_requantize_params(1.0f / 1024, 0, 1.0f / (1 << 20), 7, &up));  // ×1024
  const int16_t in[] = {-32768, 32767, 1};
  int32_t wide[3];
  requantize(up, in, 3, wide);
  EXPECT_EQ(wide[0], -33554432 + 7);
  EXPECT_EQ(wide[1], 33553408 + 7);
  EXPECT_EQ(wide[2], 1024 + 7);
  RequantizeParams down;
  ASSERT_TRUE(make_requantize_params(1.0f / 256, 0, 1.0f / 16, -10, &down));  // ×1/16
  const int16_t in2[] = {24, -24, 32767};
  int8_t narrow[3];
  requantize(down, in2, 3, narrow);
  EXPECT_EQ(narrow[0], -8);   // 1.5 -> 2
  EXPECT_EQ(narrow[1], -12);  // -1.5 -> -2 (the tie reaches the final shift)
  EXPECT_EQ(narrow[2], 127);
}

TEST(Requantize, Int32ToInt16) {
  RequantizeParams p;
  ASSERT_TRUE(make_requantize_params(1.0f / 4096, 0, 1.0f / 256, 0, &p));  // ×1/16
  const int32_t in[] = {100000, 1 << 30, -(1 << 30), -8};
  int16_t out[4];
  requantize(p, in, 4, out);
  EXPECT_EQ(out[0], 6250);
  EXPECT_EQ(out[1], 32767);
  EXPECT_EQ(out[2], -32768);
  EXPECT_EQ(out[3], -1);  // -0.5 -> -1
}

TEST(Requantize, RejectsHugeRatio) {
  RequantizeParams p;
  EXPECT_FALSE(make_requantize_params(1e20f, 0, 1e-20f, 0, &p));
}

TEST(Dequantize, MatchesDoubleFormulaExactly) {
  // TFLite: static_cast<float>(double(scale) · (q − zp)). Every int8 value
  // and a spread of int16 values, for awkward scales.
  const float scales[] = {0.1f, 0.0000881f, 3.3333333f, 1e-30f, 7.0e20f};
  for (float s : scales) {
    for (int v = -128; v <= 127; ++v) {
      const int8_t q = static_cast<int8_t>(v);
      float out;
      dequantize(&q, 1, s, -17, &out);
      EXPECT_EQ(out, static_cast<float>(static_cast<double>(s) * (v + 17))) << s << " " << v;
    }
    for (int v = -32768; v <= 32767; v += 97) {
      const int16_t q = static_cast<int16_t>(v);
      float out;
      dequantize(&q, 1, s, 0, &out);
      EXPECT_EQ(out, static_cast<float>(static_cast<double>(s) * v)) << s << " " << v;
    }
  }
}

}  // namespace
}  // namespace kiln::kernels
