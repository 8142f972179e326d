// SOFTMAX kernels. Exact int8/int16 expectations are the bytes TFLite Micro's
// reference kernel produces for the same inputs; the property tests compare
// with double-precision softmax.
#include "kiln/kernels/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace k = kiln::kernels;

namespace {

k::SoftmaxQuantParams params_for(float beta, float scale) {
  k::SoftmaxQuantParams p;
  EXPECT_TRUE(k::softmax_quant_params(beta, scale, &p));
  return p;
}

std::vector<double> reference_softmax(const std::vector<double>& x, double beta) {
  double max = x[0];
  for (double v : x) max = std::max(max, v);
  double sum = 0.0;
  std::vector<double> e(x.size());
  for (size_t i = 0; i < x.size(); ++i) sum += e[i] = std::exp(beta * (x[i] - max));
  for (double& v : e) v /= sum;
  return e;
}

TEST(SoftmaxKernel, QuantParamsFollowTflite) {
  // beta · scale · 2^26 = 2^22 → multiplier 0.5 · 2^31, shift 23;
  // diff_min = -floor(31 · 2^26 / 2^23).
  const k::SoftmaxQuantParams p = params_for(1.0f, 0.0625f);
  EXPECT_EQ(p.input_multiplier, 1 << 30);
  EXPECT_EQ(p.input_left_shift, 23);
  EXPECT_EQ(p.diff_min, -248);
  const k::SoftmaxQuantParams p2 = params_for(0.5f, 0.1f);
  EXPECT_EQ(p2.input_multiplier, 1717986944);
  EXPECT_EQ(p2.input_left_shift, 22);
  EXPECT_EQ(p2.diff_min, -496);
  k::SoftmaxQuantParams unused;
  EXPECT_FALSE(k::softmax_quant_params(0.0f, 0.1f, &unused));
  EXPECT_FALSE(k::softmax_quant_params(1.0f, 1e-9f, &unused));
}

TEST(SoftmaxKernel, EqualInputsGiveUniformOutput) {
  const k::SoftmaxQuantParams p = params_for(1.0f, 0.0625f);
  const int8_t in[4] = {7, 7, 7, 7};
  int8_t out8[4];
  int16_t out16[4];
  k::softmax_s8(in, out8, 1, 4, p);
  k::softmax_s8_s16(in, out16, 1, 4, p);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(out8[i], -64);        // 0.25 · 256 - 128
    EXPECT_EQ(out16[i], -16384);    // 0.25 · 65536 - 32768
  }
  float f[3] = {2.5f, 2.5f, 2.5f};
  k::softmax_f32(f, f, 1, 3, 1.0f);  // in place
  for (float v : f) EXPECT_FLOAT_EQ(v, 1.0f / 3.0f);
}

TEST(SoftmaxKernel, Int8KnownRowsMatchTflite) {
  const k::SoftmaxQuantParams p = params_for(1.0f, 0.0625f);
  // Two rows of four: reals 0,1,2,3 and a row with a masked-out -128.
  const int8_t in[8] = {0, 16, 32, 48, -128, 127, 120, 127};
  int8_t out8[8];
  int16_t out16[8];
  k::softmax_s8(in, out8, 2, 4, p);
  k::softmax_s8_s16(in, out16, 2, 4, p);
  const int8_t want8[8] = {-120, -106, -67, 37, -128, -31, -66, -31};
  const int16_t want16[8] = {-30667, -27057, -17244, 9432, -32768, -7997, -16774, -7997};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(out8[i], want8[i]) << i;
    EXPECT_EQ(out16[i], want16[i]) << i;
  }
}

TEST(SoftmaxKernel, Int8WithBetaMatchesTflite) {
  const k::SoftmaxQuantParams p = params_for(0.5f, 0.1f);
  const int8_t in[5] = {-100, -20, 0, 1, 50};
  int8_t out8[5];
  int16_t out16[5];
  k::softmax_s8(in, out8, 1, 5, p);
  k::softmax_s8_s16(in, out16, 1, 5, p);
  const int8_t want8[5] = {-128, -122, -110, -110, 85};
  const int16_t want16[5] = {-32738, -31118, -28282, -28052, 21885};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(out8[i], want8[i]) << i;
    EXPECT_EQ(out16[i], want16[i]) << i;
  }
}

TEST(SoftmaxKernel, Int8IsWithinOneStepOfDoubleSoftmax) {
  const float scale = 0.05f;
  const k::SoftmaxQuantParams p = params_for(1.0f, scale);
  std::vector<int8_t> in(37);
  std::vector<double> real(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    in[i] = static_cast<int8_t>(static_cast<int>(i * 53 % 256) - 128);
    real[i] = scale * in[i];
  }
  const std::vector<double> want = reference_softmax(real, 1.0);
  std::vector<int8_t> out8(in.size());
  std::vector<int16_t> out16(in.size());
  k::softmax_s8(in.data(), out8.data(), 1, static_cast<uint32_t>(in.size()), p);
  k::softmax_s8_s16(in.data(), out16.data(), 1, static_cast<uint32_t>(in.size()), p);
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_NEAR(out8[i], std::round(want[i] * 256.0) - 128.0, 1.0) << i;
    EXPECT_NEAR(out16[i], std::round(want[i] * 65536.0) - 32768.0, 2.0) << i;
  }
}

TEST(SoftmaxKernel, LongRowsOfEqualValuesRoundToZero) {
  // 600 equal values: each probability is below half an int8 step; TFLite
  // Micro aborts on this row (its output exponent exceeds 31), kiln gives -128.
  const k::SoftmaxQuantParams p = params_for(1.0f, 0.0625f);
  std::vector<int8_t> in(600, 3), out(600, 0);
  k::softmax_s8(in.data(), out.data(), 1, 600, p);
  for (int8_t v : out) EXPECT_EQ(v, -128);
  // 5000 values: the sum saturates instead of overflowing; still sane.
  std::vector<int8_t> in2(5000, 3);
  std::vector<int16_t> out2(5000, 0);
  k::softmax_s8_s16(in2.data(), out2.data(), 1, 5000, p);
  for (int16_t v : out2) EXPECT_NEAR(v, 65536.0 / 5000.0 - 32768.0, 4.0);
}

TEST(SoftmaxKernel, FloatMatchesDoubleSoftmax) {
  const float in[6] = {1.0f, 2.0f, 3.0f, -1.0f, 0.0f, 10.0f};
  float out[6];
  k::softmax_f32(in, out, 2, 3, 0.5f);
  for (int row = 0; row < 2; ++row) {
    const std::vector<double> want =
        reference_softmax({in[row * 3], in[row * 3 + 1], in[row * 3 + 2]}, 0.5);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(out[row * 3 + c], want[c], 1e-6);
  }
}

}  // namespace
