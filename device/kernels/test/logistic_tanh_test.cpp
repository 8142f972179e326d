// LOGISTIC and TANH kernels. Exact int8 expectations are the bytes TFLite
// Micro's reference kernels produce; property tests compare with double math.
#include <gtest/gtest.h>

#include <cmath>

#include "kiln/kernels/logistic.h"
#include "kiln/kernels/tanh.h"

namespace k = kiln::kernels;

namespace {

k::ActivationInputParams params_for(float scale, int32_t zero_point) {
  k::ActivationInputParams p;
  EXPECT_TRUE(k::activation_input_params(scale, zero_point, &p));
  return p;
}

TEST(ActivationInput, ParamsFollowTflite) {
  // 1/16 · 2^27 = 2^23 = 0.5 · 2^24; radius floor(15 · 2^27 / 2^24) = 120.
  const k::ActivationInputParams p = params_for(0.0625f, 3);
  EXPECT_EQ(p.input_multiplier, 1 << 30);
  EXPECT_EQ(p.input_left_shift, 24);
  EXPECT_EQ(p.input_range_radius, 120);
  EXPECT_EQ(p.input_zero_point, 3);
  const k::ActivationInputParams p2 = params_for(0.1f, -10);
  EXPECT_EQ(p2.input_multiplier, 1717986944);
  EXPECT_EQ(p2.input_left_shift, 24);
  EXPECT_EQ(p2.input_range_radius, 120);
  k::ActivationInputParams unused;
  EXPECT_FALSE(k::activation_input_params(0.0f, 0, &unused));
  EXPECT_FALSE(k::activation_input_params(-1.0f, 0, &unused));
}

TEST(LogisticKernel, Int8KnownValuesMatchTflite) {
  const int8_t in[9] = {3, 19, -13, 35, -29, 122, -116, 127, -128};
  int8_t out[9];
  k::logistic_s8(in, out, 9, params_for(0.0625f, 3));
  const int8_t want[9] = {0, 59, -59, 97, -97, 127, -128, 127, -128};
  for (int i = 0; i < 9; ++i) EXPECT_EQ(out[i], want[i]) << i;

  const int8_t in2[6] = {-128, -50, -5, 0, 5, 50};
  int8_t out2[6];
  k::logistic_s8(in2, out2, 6, params_for(0.1f, -10));
  const int8_t want2[6] = {-128, -123, 31, 59, 81, 127};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out2[i], want2[i]) << i;
}

TEST(LogisticKernel, ZeroPointMapsToHalf) {
  for (int zp = -128; zp <= 127; zp += 17) {
    const int8_t in = static_cast<int8_t>(zp);
    int8_t out = 99;
    k::logistic_s8(&in, &out, 1, params_for(0.03f, zp));
    EXPECT_EQ(out, 0) << zp;  // 0.5 · 256 - 128
  }
}

TEST(LogisticKernel, Int8AllInputsWithinOneStepAndMonotonic) {
  const float scale = 0.07f;
  const int32_t zp = 12;
  const k::ActivationInputParams p = params_for(scale, zp);
  int8_t in[256], out[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  k::logistic_s8(in, out, 256, p);
  for (int i = 0; i < 256; ++i) {
    const double x = scale * (in[i] - zp);
    const double want = std::min(127.0, std::round(256.0 / (1.0 + std::exp(-x))) - 128.0);
    EXPECT_NEAR(out[i], want, 1.0) << static_cast<int>(in[i]);
    if (i > 0) {
      EXPECT_GE(out[i], out[i - 1]);
    }
  }
}

TEST(LogisticKernel, FloatFollowsTfliteCutoffs) {
  const float in[5] = {0.0f, 2.0f, -20.0f, 17.0f, -3.0f};
  float out[5];
  k::logistic_f32(in, out, 5);
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_NEAR(out[1], 1.0 / (1.0 + std::exp(-2.0)), 1e-7);
  EXPECT_FLOAT_EQ(out[2], std::exp(-20.0f));  // below -9: exp(x)
  EXPECT_EQ(out[3], 1.0f);                    // above 16.619: exactly 1
  EXPECT_NEAR(out[4], 1.0 / (1.0 + std::exp(3.0)), 1e-7);
}

TEST(TanhKernel, Int8KnownValuesMatchTflite) {
  const int8_t in[9] = {3, 19, -13, 35, -29, 122, -116, 127, -128};
  int8_t out[9];
  k::tanh_s8(in, out, 9, params_for(0.0625f, 3));
  const int8_t want[9] = {0, 97, -97, 123, -123, 127, -128, 127, -128};
  for (int i = 0; i < 9; ++i) EXPECT_EQ(out[i], want[i]) << i;

  const int8_t in2[6] = {-128, -50, -5, 0, 5, 50};
  int8_t out2[6];
  k::tanh_s8(in2, out2, 6, params_for(0.1f, -10));
  const int8_t want2[6] = {-128, -128, 59, 97, 116, 127};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out2[i], want2[i]) << i;
}

TEST(TanhKernel, OddSymmetryInsideTheRadius) {
  const k::ActivationInputParams p = params_for(0.02f, 0);
  for (int q = 0; q <= 127; ++q) {
    const int8_t pos = static_cast<int8_t>(q), negv = static_cast<int8_t>(-q);
    int8_t out_pos = 0, out_neg = 0;
    k::tanh_s8(&pos, &out_pos, 1, p);
    k::tanh_s8(&negv, &out_neg, 1, p);
    // +1.0 would be 128 and clamps to 127; only there is the output not odd.
    if (q < p.input_range_radius && out_pos < 127) {
      EXPECT_EQ(out_neg, -out_pos) << q;
    }
  }
  const int8_t zero = 0;
  int8_t out = 5;
  k::tanh_s8(&zero, &out, 1, p);
  EXPECT_EQ(out, 0);
}

TEST(TanhKernel, Int8AllInputsWithinOneStep) {
  const float scale = 0.045f;
  const int32_t zp = -7;
  const k::ActivationInputParams p = params_for(scale, zp);
  int8_t in[256], out[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  k::tanh_s8(in, out, 256, p);
  for (int i = 0; i < 256; ++i) {
    const double want = std::max(-128.0, std::min(127.0, std::round(128.0 * std::tanh(scale * (in[i] - zp)))));
    EXPECT_NEAR(out[i], want, 1.0) << static_cast<int>(in[i]);
  }
}

TEST(TanhKernel, Float) {
  const float in[4] = {0.0f, 0.5f, -0.5f, 30.0f};
  float out[4];
  k::tanh_f32(in, out, 4);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_NEAR(out[1], std::tanh(0.5), 1e-7);
  EXPECT_EQ(out[2], -out[1]);
  EXPECT_EQ(out[3], 1.0f);
}

}  // namespace
