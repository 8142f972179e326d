#include "kiln/kernels/fully_connected.h"

#include <gtest/gtest.h>

#include <vector>

#include "conv_reference.h"

namespace kiln::kernels {
namespace {

using testref::make_requant;
using testref::random_vector;

TEST(FullyConnectedFloat, TwoBatchesByHand) {
  FullyConnectedShape s{2, 3, 2};
  const std::vector<float> in = {1, 2, 3, -1, 0, 1};
  const std::vector<float> w = {1, 1, 1,    // unit 0: sum
                                1, 0, -1};  // unit 1: first − last
  const std::vector<float> bias = {0.5f, 10};
  std::vector<float> out(4);
  fully_connected_float(s, FloatActivation{-1e30f, 1e30f}, in.data(), w.data(), bias.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{6.5f, 8, 0.5f, 8}));
  fully_connected_float(s, FloatActivation{0.0f, 6.0f}, in.data(), w.data(), nullptr, out.data());
  EXPECT_EQ(out, (std::vector<float>{6, 0, 0, 0}));  // RELU6 of 6, −2, 0, −2
}

TEST(FullyConnectedInt8, PerTensorBroadcastByHand) {
  FullyConnectedShape s{1, 4, 2};
  const std::vector<int8_t> in = {-1, 3, 5, 7};  // zero point −1: 0, 4, 6, 8
  const std::vector<int8_t> w = {1, 2, 3, 4, -1, -1, -1, -1};
  const std::vector<int32_t> bias = {2, 100};    // 8+18+32+2 = 60; −18 + 100 = 82
  const auto r = make_requant({0.5, 0.5});       // per-tensor: same multiplier twice
  std::vector<int8_t> out(2);
  fully_connected_int8(s, r.params(-1, 10, -128, 127), in.data(), w.data(), bias.data(), out.data());
  EXPECT_EQ(out[0], 40);  // 30 + 10
  EXPECT_EQ(out[1], 51);  // 41 + 10
}

TEST(FullyConnectedInt8, SaturatesToInt8) {
  FullyConnectedShape s{1, 2, 2};
  const std::vector<int8_t> in = {127, 127};
  const std::vector<int8_t> w = {127, 127, -127, -127};
  const auto r = make_requant({1.0, 1.0});
  std::vector<int8_t> out(2);
  fully_connected_int8(s, r.params(0, 0, -128, 127), in.data(), w.data(), nullptr, out.data());
  EXPECT_EQ(out[0], 127);
  EXPECT_EQ(out[1], -128);
}

struct FcCase {
  int32_t batches, depth, units;
};

class FullyConnectedRandom : public ::testing::TestWithParam<FcCase> {};

TEST_P(FullyConnectedRandom, Int8PerChannelMatchesReference) {
  const FcCase& c = GetParam();
  const FullyConnectedShape s{c.batches, c.depth, c.units};
  std::mt19937 rng(c.depth * 3 + c.units);
  const auto in = random_vector<int8_t>(rng, static_cast<size_t>(c.batches * c.depth), -128, 127);
  const auto w = random_vector<int8_t>(rng, static_cast<size_t>(c.units * c.depth), -127, 127);
  const auto bias = random_vector<int32_t>(rng, static_cast<size_t>(c.units), -20000, 20000);
  std::vector<double> reals;
  const double typical = sqrt(static_cast<double>(c.depth)) * 128 * 73;
  for (int32_t u = 0; u < c.units; ++u) reals.push_back((0.3 + 0.6 * u / c.units) * 64 / typical);
  const auto r = make_requant(reals);
  const RequantParams q = r.params(-20, 6, -128, 127);
  std::vector<int8_t> out(static_cast<size_t>(c.batches * c.units));
  fully_connected_int8(s, q, in.data(), w.data(), bias.data(), out.data());
  for (int32_t b = 0; b < c.batches; ++b)
    for (int32_t u = 0; u < c.units; ++u) {
      int64_t acc = bias[u];
      for (int32_t d = 0; d < c.depth; ++d) acc += w[u * c.depth + d] * (in[b * c.depth + d] + q.input_offset);
      ASSERT_EQ(out[b * c.units + u], testref::requant_int8(acc, u, q, reals[u])) << b << "," << u;
    }
}

TEST_P(FullyConnectedRandom, Int16x8MatchesReference) {
  const FcCase& c = GetParam();
  const FullyConnectedShape s{c.batches, c.depth, c.units};
  std::mt19937 rng(c.depth * 5 + c.batches);
  const auto in = random_vector<int16_t>(rng, static_cast<size_t>(c.batches * c.depth), -32768, 32767);
  const auto w = random_vector<int8_t>(rng, static_cast<size_t>(c.units * c.depth), -127, 127);
  const auto bias = random_vector<int64_t>(rng, static_cast<size_t>(c.units), -(1 << 24), 1 << 24);
  std::vector<double> reals;
  const double typical = sqrt(static_cast<double>(c.depth)) * 18900 * 73;
  for (int32_t u = 0; u < c.units; ++u) reals.push_back((0.3 + 0.6 * u / c.units) * 16000 / typical);
  const auto r = make_requant(reals);
  const RequantParams q = r.params(0, 0, -32768, 32767);
  std::vector<int16_t> out(static_cast<size_t>(c.batches * c.units));
  fully_connected_16x8(s, q, in.data(), w.data(), bias.data(), out.data());
  for (int32_t b = 0; b < c.batches; ++b)
    for (int32_t u = 0; u < c.units; ++u) {
      int64_t acc = bias[u];
      for (int32_t d = 0; d < c.depth; ++d) acc += w[u * c.depth + d] * in[b * c.depth + d];
      ASSERT_EQ(out[b * c.units + u], testref::requant_16x8(acc, u, q, reals[u])) << b << "," << u;
    }
}

TEST_P(FullyConnectedRandom, FloatMatchesDoubleReference) {
  const FcCase& c = GetParam();
  const FullyConnectedShape s{c.batches, c.depth, c.units};
  std::mt19937 rng(c.units * 11);
  const auto in = testref::random_floats(rng, static_cast<size_t>(c.batches * c.depth), -1, 1);
  const auto w = testref::random_floats(rng, static_cast<size_t>(c.units * c.depth), -1, 1);
  const auto bias = testref::random_floats(rng, static_cast<size_t>(c.units), -1, 1);
  std::vector<float> out(static_cast<size_t>(c.batches * c.units));
  fully_connected_float(s, FloatActivation{-1e30f, 1e30f}, in.data(), w.data(), bias.data(), out.data());
  for (int32_t b = 0; b < c.batches; ++b)
    for (int32_t u = 0; u < c.units; ++u) {
      double acc = bias[u];
      for (int32_t d = 0; d < c.depth; ++d) acc += static_cast<double>(w[u * c.depth + d]) * in[b * c.depth + d];
      ASSERT_NEAR(out[b * c.units + u], acc, 1e-4) << b << "," << u;
    }
}

// Depths above 256 cross the 16x8 dot product's 32-bit blocks.
INSTANTIATE_TEST_SUITE_P(Shapes, FullyConnectedRandom,
                         ::testing::Values(FcCase{1, 10, 4}, FcCase{3, 64, 7}, FcCase{2, 300, 5},
                                           FcCase{1, 1000, 3}, FcCase{4, 1, 9}));

}  // namespace
}  // namespace kiln::kernels
