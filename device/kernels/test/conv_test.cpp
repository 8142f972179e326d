#include "kiln/kernels/conv.h"

#include <gtest/gtest.h>

#include <vector>

#include "conv_reference.h"

namespace kiln::kernels {
namespace {

using testref::make_requant;
using testref::random_vector;

ConvGeometry geometry(int32_t in_h, int32_t in_w, int32_t in_ch, int32_t fh, int32_t fw, int32_t out_ch) {
  ConvGeometry g;
  g.in_h = in_h;
  g.in_w = in_w;
  g.in_ch = in_ch;
  g.filter_h = fh;
  g.filter_w = fw;
  g.out_ch = out_ch;
  return g;
}

constexpr FloatActivation kNoClamp{-1e30f, 1e30f};

TEST(ValidTaps, ClipsWindowToImage) {
  // origin −1, dilation 1, 3 taps, size 4: tap 0 is at −1 (outside).
  EXPECT_EQ(valid_taps(-1, 1, 3, 4).begin, 1);
  EXPECT_EQ(valid_taps(-1, 1, 3, 4).end, 3);
  // origin 2, 3 taps, size 4: taps at 2, 3 inside, 4 outside.
  EXPECT_EQ(valid_taps(2, 1, 3, 4).begin, 0);
  EXPECT_EQ(valid_taps(2, 1, 3, 4).end, 2);
  // dilation 2, origin −3: taps at −3, −1, 1, 3 → taps 2 and 3 inside size 4.
  EXPECT_EQ(valid_taps(-3, 2, 4, 4).begin, 2);
  EXPECT_EQ(valid_taps(-3, 2, 4, 4).end, 4);
  // window entirely outside: empty range.
  const TapRange r = valid_taps(5, 1, 2, 4);
  EXPECT_EQ(r.end - r.begin, 0);
}

// 3x3 input 1..9, 2x2 filter [[1,2],[3,4]], stride 2, SAME: total padding 1
// is odd, so it all goes to the bottom/right (pad 0 at the top/left).
TEST(ConvFloat, Stride2SameOddPaddingByHand) {
  ConvGeometry g = geometry(3, 3, 1, 2, 2, 1);
  g.stride_h = g.stride_w = 2;
  testref::same_padding(g);
  ASSERT_EQ(g.out_h, 2);
  ASSERT_EQ(g.pad_h, 0);
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> w = {1, 2, 3, 4};
  std::vector<float> out(4);
  conv_float(g, 1, kNoClamp, in.data(), w.data(), nullptr, out.data());
  EXPECT_EQ(out, (std::vector<float>{37, 21, 23, 9}));  // 1+4+12+20, 3+18, 7+16, 9
}

TEST(ConvFloat, Dilation2ValidByHand) {
  ConvGeometry g = geometry(3, 3, 1, 2, 2, 1);
  g.dilation_h = g.dilation_w = 2;
  testref::valid_padding(g);
  ASSERT_EQ(g.out_h, 1);
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> w = {1, 2, 3, 4};
  const std::vector<float> bias = {0.5f};
  std::vector<float> out(1);
  conv_float(g, 1, kNoClamp, in.data(), w.data(), bias.data(), out.data());
  EXPECT_EQ(out[0], 64.5f);  // 1·1 + 3·2 + 7·3 + 9·4 + 0.5
}

TEST(ConvFloat, Relu6ClampsAndPassesNaN) {
  ConvGeometry g = geometry(1, 3, 1, 1, 1, 1);
  testref::valid_padding(g);
  const std::vector<float> in = {-2.0f, 3.0f, NAN};
  const std::vector<float> w = {4.0f};
  std::vector<float> out(3);
  conv_float(g, 1, FloatActivation{0.0f, 6.0f}, in.data(), w.data(), nullptr, out.data());
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 6.0f);
  EXPECT_TRUE(isnan(out[2]));  // TFLite's min(max(x, lo), hi) keeps NaN
}

// Two output channels with different multipliers and a RELU6 range on the
// int8 grid: hand-computed accumulators.
TEST(ConvInt8, PerChannelMultipliersAndRelu6ByHand) {
  ConvGeometry g = geometry(2, 2, 1, 2, 2, 2);
  testref::valid_padding(g);
  const std::vector<int8_t> in = {10, 20, 30, 40};  // zero point 5 → 5, 15, 25, 35
  const std::vector<int8_t> w = {1, 1, 1, 1,        // channel 0: Σ = 80
                                 2, -1, 0, 1};      // channel 1: 10 − 15 + 35 = 30
  const std::vector<int32_t> bias = {20, -2};       // acc 100, 28
  const auto r = make_requant({0.5, 0.25});         // 50, 7
  // RELU6 with output scale 0.1, zero point −3: [−3, 57].
  const RequantParams q = r.params(5, -3, -3, 57);
  std::vector<int8_t> out(2);
  conv_int8(g, 1, q, in.data(), w.data(), bias.data(), out.data());
  EXPECT_EQ(out[0], 47);  // 50 − 3
  EXPECT_EQ(out[1], 4);   // 7 − 3
  const RequantParams tight = r.params(5, -3, -3, 40);
  conv_int8(g, 1, tight, in.data(), w.data(), bias.data(), out.data());
  EXPECT_EQ(out[0], 40);  // clamped at the RELU6 top
}

TEST(ConvInt8, PaddingTapsContributeNothingNotZeroPoint) {
  // 1x1 input, 3x3 filter, SAME: only the centre tap is inside. With a
  // non-zero input zero point, padded taps must not add w · (0 − zp).
  ConvGeometry g = geometry(1, 1, 1, 3, 3, 1);
  testref::same_padding(g);
  ASSERT_EQ(g.pad_h, 1);
  const std::vector<int8_t> in = {7};
  const std::vector<int8_t> w = {9, 9, 9, 9, 2, 9, 9, 9, 9};
  const auto r = make_requant({0.5});
  std::vector<int8_t> out(1);
  conv_int8(g, 1, r.params(-1, 0, -128, 127), in.data(), w.data(), nullptr, out.data());
  EXPECT_EQ(out[0], 8);  // 2 · (7 + 1) · 0.5
}

struct ConvCase {
  int32_t batches, in_h, in_w, in_ch, fh, fw, out_ch, filter_in_ch, stride, dilation;
  bool same;
};

class ConvRandom : public ::testing::TestWithParam<ConvCase> {
 protected:
  ConvGeometry make() const {
    const ConvCase& c = GetParam();
    ConvGeometry g = geometry(c.in_h, c.in_w, c.in_ch, c.fh, c.fw, c.out_ch);
    g.batches = c.batches;
    g.stride_h = c.stride;
    g.stride_w = c.stride + 1;  // unequal strides catch swapped axes
    g.dilation_h = c.dilation;
    g.dilation_w = c.dilation;
    if (c.same) testref::same_padding(g); else testref::valid_padding(g);
    return g;
  }
};

TEST_P(ConvRandom, Int8MatchesReference) {
  const ConvCase& c = GetParam();
  const ConvGeometry g = make();
  std::mt19937 rng(c.in_h * 131 + c.out_ch);
  const auto in = random_vector<int8_t>(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -128, 127);
  const auto w = random_vector<int8_t>(rng, static_cast<size_t>(g.out_ch * g.filter_h * g.filter_w * c.filter_in_ch), -127, 127);
  const auto bias = random_vector<int32_t>(rng, static_cast<size_t>(g.out_ch), -5000, 5000);
  std::vector<double> reals;
  // Typical |acc| ≈ √K · 128 · 73: aim outputs at ±64 so few are clamped.
  const double typical = sqrt(static_cast<double>(g.filter_h * g.filter_w * c.filter_in_ch)) * 128 * 73;
  for (int32_t oc = 0; oc < g.out_ch; ++oc) reals.push_back((0.5 + 0.3 * oc / g.out_ch) * 64 / typical);
  const auto r = make_requant(reals);
  const RequantParams q = r.params(-7, 3, -100, 120);
  std::vector<int8_t> out(static_cast<size_t>(g.batches * g.out_h * g.out_w * g.out_ch));
  conv_int8(g, c.filter_in_ch, q, in.data(), w.data(), bias.data(), out.data());
  size_t i = 0;
  for (int32_t b = 0; b < g.batches; ++b)
    for (int32_t oy = 0; oy < g.out_h; ++oy)
      for (int32_t ox = 0; ox < g.out_w; ++ox)
        for (int32_t oc = 0; oc < g.out_ch; ++oc, ++i) {
          const int64_t acc = testref::conv_acc(g, c.filter_in_ch, in.data(), w.data(), bias[oc], q.input_offset, b, oy, ox, oc);
          ASSERT_EQ(out[i], testref::requant_int8(acc, oc, q, reals[oc])) << "at " << i;
        }
}

TEST_P(ConvRandom, Int16x8MatchesReference) {
  const ConvCase& c = GetParam();
  const ConvGeometry g = make();
  std::mt19937 rng(c.in_w * 71 + c.fh);
  const auto in = random_vector<int16_t>(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -32768, 32767);
  const auto w = random_vector<int8_t>(rng, static_cast<size_t>(g.out_ch * g.filter_h * g.filter_w * c.filter_in_ch), -127, 127);
  const auto bias = random_vector<int64_t>(rng, static_cast<size_t>(g.out_ch), -(1 << 24), 1 << 24);
  std::vector<double> reals;
  const double typical = sqrt(static_cast<double>(g.filter_h * g.filter_w * c.filter_in_ch)) * 18900 * 73;
  for (int32_t oc = 0; oc < g.out_ch; ++oc) reals.push_back((0.5 + 0.3 * oc / g.out_ch) * 16000 / typical);
  const auto r = make_requant(reals);
  const RequantParams q = r.params(0, 0, -30000, 32767);
  std::vector<int16_t> out(static_cast<size_t>(g.batches * g.out_h * g.out_w * g.out_ch));
  conv_16x8(g, c.filter_in_ch, q, in.data(), w.data(), bias.data(), out.data());
  size_t i = 0;
  for (int32_t b = 0; b < g.batches; ++b)
    for (int32_t oy = 0; oy < g.out_h; ++oy)
      for (int32_t ox = 0; ox < g.out_w; ++ox)
        for (int32_t oc = 0; oc < g.out_ch; ++oc, ++i) {
          const int64_t acc = testref::conv_acc(g, c.filter_in_ch, in.data(), w.data(), bias[oc], 0, b, oy, ox, oc);
          ASSERT_EQ(out[i], testref::requant_16x8(acc, oc, q, reals[oc])) << "at " << i;
        }
}

TEST_P(ConvRandom, FloatMatchesDoubleReference) {
  const ConvCase& c = GetParam();
  const ConvGeometry g = make();
  std::mt19937 rng(c.in_ch * 17 + c.stride);
  const auto in = testref::random_floats(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -1, 1);
  const auto w = testref::random_floats(rng, static_cast<size_t>(g.out_ch * g.filter_h * g.filter_w * c.filter_in_ch), -1, 1);
  const auto bias = testref::random_floats(rng, static_cast<size_t>(g.out_ch), -1, 1);
  std::vector<float> out(static_cast<size_t>(g.batches * g.out_h * g.out_w * g.out_ch));
  conv_float(g, c.filter_in_ch, FloatActivation{-0.5f, 2.0f}, in.data(), w.data(), bias.data(), out.data());
  const int32_t per_group = g.out_ch / (g.in_ch / c.filter_in_ch);
  size_t i = 0;
  for (int32_t b = 0; b < g.batches; ++b)
    for (int32_t oy = 0; oy < g.out_h; ++oy)
      for (int32_t ox = 0; ox < g.out_w; ++ox)
        for (int32_t oc = 0; oc < g.out_ch; ++oc, ++i) {
          double acc = bias[oc];
          for (int32_t fy = 0; fy < g.filter_h; ++fy)
            for (int32_t fx = 0; fx < g.filter_w; ++fx) {
              const int32_t iy = oy * g.stride_h - g.pad_h + fy * g.dilation_h;
              const int32_t ix = ox * g.stride_w - g.pad_w + fx * g.dilation_w;
              if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
              for (int32_t ic = 0; ic < c.filter_in_ch; ++ic)
                acc += static_cast<double>(in[((b * g.in_h + iy) * g.in_w + ix) * g.in_ch + (oc / per_group) * c.filter_in_ch + ic]) *
                       w[((oc * g.filter_h + fy) * g.filter_w + fx) * c.filter_in_ch + ic];
            }
          const double expected = acc < -0.5 ? -0.5 : (acc > 2.0 ? 2.0 : acc);
          ASSERT_NEAR(out[i], expected, 1e-4) << "at " << i;
        }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvRandom,
    ::testing::Values(ConvCase{1, 5, 7, 3, 3, 3, 4, 3, 1, 1, true},    // SAME, stride 1/2
                      ConvCase{2, 6, 6, 2, 2, 3, 3, 2, 2, 1, true},    // batches, even filter
                      ConvCase{1, 9, 8, 4, 3, 3, 2, 4, 1, 2, true},    // dilation 2, SAME
                      ConvCase{1, 9, 9, 3, 3, 2, 5, 3, 2, 2, false},   // dilation + VALID
                      ConvCase{1, 4, 5, 4, 1, 1, 6, 2, 1, 1, false},   // grouped: 2 groups
                      ConvCase{1, 7, 7, 8, 5, 5, 3, 8, 3, 1, true}));  // big window, stride 3

}  // namespace
}  // namespace kiln::kernels
