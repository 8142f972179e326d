#include "kiln/kernels/transpose_conv.h"

#include <gtest/gtest.h>

#include <vector>

#include "conv_reference.h"

namespace kiln::kernels {
namespace {

using testref::make_requant;
using testref::random_vector;

constexpr FloatActivation kNoClamp{-1e30f, 1e30f};

// 1-D: input [1, 2], filter [1, 10, 100], stride 2.
ConvGeometry line_geometry(int32_t out_w, int32_t pad_w) {
  ConvGeometry g;
  g.in_h = g.out_h = g.filter_h = 1;
  g.in_w = 2;
  g.filter_w = 3;
  g.in_ch = g.out_ch = 1;
  g.stride_w = 2;
  g.out_w = out_w;
  g.pad_w = pad_w;
  return g;
}

TEST(TransposeConvFloat, ScatterByHand) {
  const std::vector<float> in = {1, 2};
  const std::vector<float> w = {1, 10, 100};
  std::vector<float> out(5);
  // VALID: (2 − 1)·2 + 3 = 5 outputs; input 1 lands at 0..2, input 2 at 2..4.
  transpose_conv_float(line_geometry(5, 0), kNoClamp, in.data(), w.data(), nullptr, out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 10, 102, 20, 200}));
  // SAME: 4 outputs, the odd padding is all at the end: the last tap drops.
  out.assign(4, -1.0f);
  transpose_conv_float(line_geometry(4, 0), kNoClamp, in.data(), w.data(), nullptr, out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 10, 102, 20}));
  // Padding 1 at the start shifts the window left by one.
  out.assign(3, -1.0f);
  const std::vector<float> bias = {0.5f};
  transpose_conv_float(line_geometry(3, 1), FloatActivation{0.0f, 100.0f}, in.data(), w.data(), bias.data(),
                       out.data());
  EXPECT_EQ(out, (std::vector<float>{10.5f, 100.0f, 20.5f}));  // 102.5 clamped
}

TEST(TransposeConvInt8, ScatterWithOffsetsByHand) {
  const std::vector<int8_t> in = {3, 5};  // zero point 1: 2, 4
  const std::vector<int8_t> w = {1, 10, 100};
  const auto r = make_requant({0.5});
  std::vector<int32_t> acc(5, 12345);  // scratch starts dirty: the kernel must clear it
  std::vector<int8_t> out(5);
  transpose_conv_int8(line_geometry(5, 0), r.params(1, -2, -128, 127), in.data(), w.data(), nullptr, acc.data(),
                      out.data());
  // accumulators 2, 20, 204, 40, 400 → ×0.5 → 1, 10, 102, 20, 200 → −2, clamp.
  EXPECT_EQ(out, (std::vector<int8_t>{-1, 8, 100, 18, 127}));
}

TEST(TransposeConv16x8, ScatterWithBiasByHand) {
  const std::vector<int16_t> in = {1000, -2000};
  const std::vector<int8_t> w = {1, 10, 100};
  const std::vector<int64_t> bias = {1 << 20};
  const auto r = make_requant({1.0 / 64});
  std::vector<int64_t> acc(5);
  std::vector<int16_t> out(5);
  transpose_conv_16x8(line_geometry(5, 0), r.params(0, 0, -32768, 32767), in.data(), w.data(), bias.data(),
                      acc.data(), out.data());
  // (1000, 10000, 100000 − 2000, −20000, −200000) + 2^20, / 64.
  EXPECT_EQ(out, (std::vector<int16_t>{16400, 16540, 17915, 16072, 13259}));
}

struct TcCase {
  int32_t batches, in_h, in_w, in_ch, fh, fw, out_ch, stride, pad_h, pad_w, extra_h, extra_w;
};

class TransposeConvRandom : public ::testing::TestWithParam<TcCase> {
 protected:
  ConvGeometry make() const {
    const TcCase& c = GetParam();
    ConvGeometry g;
    g.batches = c.batches;
    g.in_h = c.in_h;
    g.in_w = c.in_w;
    g.in_ch = c.in_ch;
    g.filter_h = c.fh;
    g.filter_w = c.fw;
    g.out_ch = c.out_ch;
    g.stride_h = c.stride;
    g.stride_w = c.stride + 1;
    g.pad_h = c.pad_h;
    g.pad_w = c.pad_w;
    // Full output minus cropping; `extra` shrinks or grows the far edge.
    g.out_h = (c.in_h - 1) * g.stride_h + c.fh - 2 * c.pad_h + c.extra_h;
    g.out_w = (c.in_w - 1) * g.stride_w + c.fw - 2 * c.pad_w + c.extra_w;
    return g;
  }
  size_t out_size(const ConvGeometry& g) const { return static_cast<size_t>(g.batches * g.out_h * g.out_w * g.out_ch); }

  // Scatter reference in T (int64 or double), textbook loop order.
  template <typename T, typename In>
  std::vector<T> scatter(const ConvGeometry& g, const In* in, const int8_t* w8, const float* wf,
                         int32_t input_offset) const {
    std::vector<T> acc(out_size(g), T{0});
    for (int32_t b = 0; b < g.batches; ++b)
      for (int32_t iy = 0; iy < g.in_h; ++iy)
        for (int32_t ix = 0; ix < g.in_w; ++ix)
          for (int32_t ic = 0; ic < g.in_ch; ++ic)
            for (int32_t fy = 0; fy < g.filter_h; ++fy)
              for (int32_t fx = 0; fx < g.filter_w; ++fx)
                for (int32_t oc = 0; oc < g.out_ch; ++oc) {
                  const int32_t oy = iy * g.stride_h - g.pad_h + fy;
                  const int32_t ox = ix * g.stride_w - g.pad_w + fx;
                  if (oy < 0 || oy >= g.out_h || ox < 0 || ox >= g.out_w) continue;
                  const size_t wi = static_cast<size_t>(((oc * g.filter_h + fy) * g.filter_w + fx) * g.in_ch + ic);
                  const T x = static_cast<T>(in[((b * g.in_h + iy) * g.in_w + ix) * g.in_ch + ic]) + static_cast<T>(input_offset);
                  const T wv = w8 != nullptr ? static_cast<T>(w8[wi]) : static_cast<T>(wf[wi]);
                  acc[static_cast<size_t>(((b * g.out_h + oy) * g.out_w + ox) * g.out_ch + oc)] += x * wv;
                }
    return acc;
  }
};

TEST_P(TransposeConvRandom, Int8MatchesReference) {
  const ConvGeometry g = make();
  std::mt19937 rng(g.in_h * 13 + g.out_ch);
  const auto in = random_vector<int8_t>(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -128, 127);
  const auto w = random_vector<int8_t>(rng, static_cast<size_t>(g.out_ch * g.filter_h * g.filter_w * g.in_ch), -127, 127);
  const auto bias = random_vector<int32_t>(rng, static_cast<size_t>(g.out_ch), -4000, 4000);
  std::vector<double> reals;
  const double typical = sqrt(static_cast<double>(g.in_ch * 2)) * 128 * 73;
  for (int32_t oc = 0; oc < g.out_ch; ++oc) reals.push_back((0.5 + 0.4 * oc / g.out_ch) * 64 / typical);
  const auto r = make_requant(reals);
  const RequantParams q = r.params(9, -5, -128, 127);
  std::vector<int32_t> scratch(out_size(g));
  std::vector<int8_t> out(out_size(g));
  transpose_conv_int8(g, q, in.data(), w.data(), bias.data(), scratch.data(), out.data());
  const auto acc = scatter<int64_t>(g, in.data(), w.data(), nullptr, q.input_offset);
  for (size_t i = 0; i < out.size(); ++i) {
    const int32_t oc = static_cast<int32_t>(i % static_cast<size_t>(g.out_ch));
    ASSERT_EQ(out[i], testref::requant_int8(acc[i] + bias[oc], oc, q, reals[oc])) << "at " << i;
  }
}

TEST_P(TransposeConvRandom, Int16x8MatchesReference) {
  const ConvGeometry g = make();
  std::mt19937 rng(g.in_w * 29 + g.filter_h);
  const auto in = random_vector<int16_t>(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -32768, 32767);
  const auto w = random_vector<int8_t>(rng, static_cast<size_t>(g.out_ch * g.filter_h * g.filter_w * g.in_ch), -127, 127);
  const auto bias = random_vector<int64_t>(rng, static_cast<size_t>(g.out_ch), -(1 << 26), 1 << 26);
  std::vector<double> reals;
  const double typical = sqrt(static_cast<double>(g.in_ch * 2)) * 18900 * 73;
  for (int32_t oc = 0; oc < g.out_ch; ++oc) reals.push_back((0.5 + 0.4 * oc / g.out_ch) * 16000 / typical);
  const auto r = make_requant(reals);
  const RequantParams q = r.params(0, 0, -32768, 32767);
  std::vector<int64_t> scratch(out_size(g));
  std::vector<int16_t> out(out_size(g));
  transpose_conv_16x8(g, q, in.data(), w.data(), bias.data(), scratch.data(), out.data());
  const auto acc = scatter<int64_t>(g, in.data(), w.data(), nullptr, 0);
  for (size_t i = 0; i < out.size(); ++i) {
    const int32_t oc = static_cast<int32_t>(i % static_cast<size_t>(g.out_ch));
    ASSERT_EQ(out[i], testref::requant_16x8(acc[i] + bias[oc], oc, q, reals[oc])) << "at " << i;
  }
}

TEST_P(TransposeConvRandom, FloatMatchesDoubleReference) {
  const ConvGeometry g = make();
  std::mt19937 rng(g.in_ch * 31 + g.stride_h);
  const auto in = testref::random_floats(rng, static_cast<size_t>(g.batches * g.in_h * g.in_w * g.in_ch), -1, 1);
  const auto w = testref::random_floats(rng, static_cast<size_t>(g.out_ch * g.filter_h * g.filter_w * g.in_ch), -1, 1);
  const auto bias = testref::random_floats(rng, static_cast<size_t>(g.out_ch), -1, 1);
  std::vector<float> out(out_size(g), 99.0f);
  transpose_conv_float(g, kNoClamp, in.data(), w.data(), bias.data(), out.data());
  const auto acc = scatter<double>(g, in.data(), nullptr, w.data(), 0);
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_NEAR(out[i], acc[i] + bias[i % static_cast<size_t>(g.out_ch)], 1e-4) << "at " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, TransposeConvRandom,
                         ::testing::Values(TcCase{1, 3, 4, 2, 3, 3, 2, 2, 0, 0, 0, 0},   // full output
                                           TcCase{1, 4, 4, 3, 4, 4, 2, 2, 1, 1, 0, 0},   // cropped both ends
                                           TcCase{2, 3, 5, 4, 3, 2, 3, 1, 1, 0, -1, 1},  // odd crop, grown edge
                                           TcCase{1, 1, 12, 8, 1, 6, 4, 3, 0, 2, 0, -1},  // 1-D audio-like
                                           TcCase{1, 2, 2, 300, 2, 2, 2, 2, 0, 0, 0, 0}));  // deep input: blocked dot

}  // namespace
}  // namespace kiln::kernels
