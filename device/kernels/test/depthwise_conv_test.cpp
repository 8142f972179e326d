#include "kiln/kernels/depthwise_conv.h"

#include <gtest/gtest.h>

#include <vector>

#include "conv_reference.h"

namespace kiln::kernels {
namespace {

using testref::make_requant;
using testref::random_vector;

// Exact accumulator of a depthwise conv at one output element.
template <typename T>
int64_t depthwise_acc(const ConvGeometry& g, int32_t mult, const T* in, const int8_t* filter, int64_t bias,
                      int32_t input_offset, int32_t b, int32_t oy, int32_t ox, int32_t oc) {
  int64_t acc = bias;
  for (int32_t fy = 0; fy < g.filter_h; ++fy) {
    for (int32_t fx = 0; fx < g.filter_w; ++fx) {
      const int32_t iy = oy * g.stride_h - g.pad_h + fy * g.dilation_h;
      const int32_t ix = ox * g.stride_w - g.pad_w + fx * g.dilation_w;
      if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
      const int64_t x = in[((b * g.in_h + iy) * g.in_w + ix) * g.in_ch + oc / mult];
      acc += filter[(fy * g.filter_w + fx) * g.out_ch + oc] * (x + input_offset);
    }
  }
  return acc;
}

ConvGeometry geometry(int32_t in_h, int32_t in_w, int32_t in_ch, int32_t fh, int32_t fw, int32_t mult) {
  ConvGeometry g;
  g.in_h = in_h;
  g.in_w = in_w;
  g.in_ch = in_ch;
  g.filter_h = fh;
  g.filter_w = fw;
  g.out_ch = in_ch * mult;
  return g;
}

// 2x2 input with 2 channels, 2x2 filter, multiplier 2: output channel c
// reads input channel c / 2.
TEST(DepthwiseConvFloat, MultiplierTwoByHand) {
  ConvGeometry g = geometry(2, 2, 2, 2, 2, 2);
  testref::valid_padding(g);
  // Input channel 0: 1 2 3 4; channel 1: 10 20 30 40 (interleaved NHWC).
  const std::vector<float> in = {1, 10, 2, 20, 3, 30, 4, 40};
  // Filter [1,2,2,4]: per tap, the 4 output channels.
  const std::vector<float> w = {1, 0, 1, 0,   //
                                1, 0, 0, 1,   //
                                1, 1, 0, 0,   //
                                1, 0, 0, 0};
  const std::vector<float> bias = {0, 0, 0, 100};
  std::vector<float> out(4);
  depthwise_conv_float(g, 2, FloatActivation{-1e30f, 1e30f}, in.data(), w.data(), bias.data(), out.data());
  EXPECT_EQ(out[0], 10.0f);   // ch0 · all ones
  EXPECT_EQ(out[1], 3.0f);    // ch0 tap 2 only
  EXPECT_EQ(out[2], 10.0f);   // ch1 tap 0
  EXPECT_EQ(out[3], 120.0f);  // ch1 tap 1 + bias
}

TEST(DepthwiseConvInt8, PerChannelRelu6ByHand) {
  ConvGeometry g = geometry(1, 2, 2, 1, 2, 1);
  testref::valid_padding(g);
  const std::vector<int8_t> in = {10, -10, 20, 30};  // zp 0: ch0 (10, 20), ch1 (−10, 30)
  const std::vector<int8_t> w = {3, 1, 2, 1};        // tap 0: (3, 1); tap 1: (2, 1)
  const std::vector<int32_t> bias = {0, 4};          // acc ch0 = 70, ch1 = 24
  const auto r = make_requant({1.0, 0.25});
  std::vector<int8_t> out(2);
  depthwise_conv_int8(g, 1, r.params(0, 0, 0, 60), in.data(), w.data(), bias.data(), out.data());
  EXPECT_EQ(out[0], 60);  // 70 clamped to the RELU6 top
  EXPECT_EQ(out[1], 6);
}

struct DwCase {
  int32_t batches, in_h, in_w, in_ch, fh, fw, mult, stride, dilation;
  bool same;
};

class DepthwiseRandom : public ::testing::TestWithParam<DwCase> {
 protected:
  ConvGeometry make() const {
    const DwCase& c = GetParam();
    ConvGeometry g = geometry(c.in_h, c.in_w, c.in_ch, c.fh, c.fw, c.mult);
    g.batches = c.batches;
    g.stride_h = c.stride;
    g.stride_w = c.stride + 1;
    g.dilation_h = c.dilation + 1;
    g.dilation_w = c.dilation;
    if (c.same) testref::same_padding(g); else testref::valid_padding(g);
    return g;
  }
  size_t out_size(const ConvGeometry& g) const { return static_cast<size_t>(g.batches * g.out_h * g.out_w * g.out_ch); }
};

TEST_P(DepthwiseRandom, Int8MatchesReference) {
  const DwCase& c = GetParam();
  const ConvGeometry g = make();
  std::mt19937 rng(c.in_h * 7 + c.mult);
  const auto in = random_vector<int8_t>(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -128, 127);
  const auto w = random_vector<int8_t>(rng, static_cast<size_t>(g.filter_h * g.filter_w * g.out_ch), -127, 127);
  const auto bias = random_vector<int32_t>(rng, static_cast<size_t>(g.out_ch), -3000, 3000);
  std::vector<double> reals;
  const double typical = sqrt(static_cast<double>(g.filter_h * g.filter_w)) * 128 * 73;
  for (int32_t oc = 0; oc < g.out_ch; ++oc) reals.push_back((0.4 + 0.5 * oc / g.out_ch) * 64 / typical);
  const auto r = make_requant(reals);
  const RequantParams q = r.params(12, -4, -128, 100);
  std::vector<int8_t> out(out_size(g));
  depthwise_conv_int8(g, c.mult, q, in.data(), w.data(), bias.data(), out.data());
  size_t i = 0;
  for (int32_t b = 0; b < g.batches; ++b)
    for (int32_t oy = 0; oy < g.out_h; ++oy)
      for (int32_t ox = 0; ox < g.out_w; ++ox)
        for (int32_t oc = 0; oc < g.out_ch; ++oc, ++i) {
          const int64_t acc = depthwise_acc(g, c.mult, in.data(), w.data(), bias[oc], q.input_offset, b, oy, ox, oc);
          ASSERT_EQ(out[i], testref::requant_int8(acc, oc, q, reals[oc])) << "at " << i;
        }
}

TEST_P(DepthwiseRandom, Int16x8MatchesReference) {
  const DwCase& c = GetParam();
  const ConvGeometry g = make();
  std::mt19937 rng(c.in_w * 5 + c.fh);
  const auto in = random_vector<int16_t>(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -32768, 32767);
  const auto w = random_vector<int8_t>(rng, static_cast<size_t>(g.filter_h * g.filter_w * g.out_ch), -127, 127);
  const auto bias = random_vector<int64_t>(rng, static_cast<size_t>(g.out_ch), -(1 << 22), 1 << 22);
  std::vector<double> reals;
  const double typical = sqrt(static_cast<double>(g.filter_h * g.filter_w)) * 18900 * 73;
  for (int32_t oc = 0; oc < g.out_ch; ++oc) reals.push_back((0.4 + 0.5 * oc / g.out_ch) * 16000 / typical);
  const auto r = make_requant(reals);
  const RequantParams q = r.params(0, 0, -32768, 30000);
  std::vector<int16_t> out(out_size(g));
  depthwise_conv_16x8(g, c.mult, q, in.data(), w.data(), bias.data(), out.data());
  size_t i = 0;
  for (int32_t b = 0; b < g.batches; ++b)
    for (int32_t oy = 0; oy < g.out_h; ++oy)
      for (int32_t ox = 0; ox < g.out_w; ++ox)
        for (int32_t oc = 0; oc < g.out_ch; ++oc, ++i) {
          const int64_t acc = depthwise_acc(g, c.mult, in.data(), w.data(), bias[oc], 0, b, oy, ox, oc);
          ASSERT_EQ(out[i], testref::requant_16x8(acc, oc, q, reals[oc])) << "at " << i;
        }
}

TEST_P(DepthwiseRandom, FloatMatchesDoubleReference) {
  const DwCase& c = GetParam();
  const ConvGeometry g = make();
  std::mt19937 rng(c.in_ch * 3 + c.stride);
  const auto in = testref::random_floats(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -1, 1);
  const auto w = testref::random_floats(rng, static_cast<size_t>(g.filter_h * g.filter_w * g.out_ch), -1, 1);
  std::vector<float> out(out_size(g));
  depthwise_conv_float(g, c.mult, FloatActivation{-1.0f, 1.0f}, in.data(), w.data(), nullptr, out.data());
  size_t i = 0;
  for (int32_t b = 0; b < g.batches; ++b)
    for (int32_t oy = 0; oy < g.out_h; ++oy)
      for (int32_t ox = 0; ox < g.out_w; ++ox)
        for (int32_t oc = 0; oc < g.out_ch; ++oc, ++i) {
          double acc = 0;
          for (int32_t fy = 0; fy < g.filter_h; ++fy)
            for (int32_t fx = 0; fx < g.filter_w; ++fx) {
              const int32_t iy = oy * g.stride_h - g.pad_h + fy * g.dilation_h;
              const int32_t ix = ox * g.stride_w - g.pad_w + fx * g.dilation_w;
              if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
              acc += static_cast<double>(in[((b * g.in_h + iy) * g.in_w + ix) * g.in_ch + oc / c.mult]) *
                     w[(fy * g.filter_w + fx) * g.out_ch + oc];
            }
          ASSERT_NEAR(out[i], acc < -1 ? -1 : (acc > 1 ? 1 : acc), 1e-5) << "at " << i;
        }
}

INSTANTIATE_TEST_SUITE_P(Shapes, DepthwiseRandom,
                         ::testing::Values(DwCase{1, 6, 5, 3, 3, 3, 1, 1, 1, true},
                                           DwCase{2, 7, 7, 2, 3, 2, 3, 2, 1, true},
                                           DwCase{1, 9, 9, 4, 2, 3, 2, 1, 2, false},
                                           DwCase{1, 8, 6, 5, 5, 5, 1, 3, 1, true},
                                           DwCase{1, 1, 10, 8, 1, 4, 1, 1, 1, false}));

}  // namespace
}  // namespace kiln::kernels
