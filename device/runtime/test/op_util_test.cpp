// The pure prepare-time helpers of op_util: output sizes, padding and
// fused-activation ranges, against hand-computed TFLite values.
#include "kiln/runtime/op_util.h"

#include <float.h>
#include <gtest/gtest.h>

namespace kiln::runtime {
namespace {

using model::Activation;
using model::Padding;

TEST(ComputeOutSize, SameAndValid) {
  EXPECT_EQ(compute_out_size(Padding::kSame, 3, 2, 2, 1), 2);    // ceil(3/2)
  EXPECT_EQ(compute_out_size(Padding::kValid, 3, 2, 2, 1), 1);   // (3 − 2)/2 + 1
  EXPECT_EQ(compute_out_size(Padding::kValid, 9, 3, 1, 2), 5);   // effective filter 5
  EXPECT_EQ(compute_out_size(Padding::kSame, 9, 3, 1, 2), 9);
  EXPECT_EQ(compute_out_size(Padding::kValid, 49, 10, 2, 1), 20);
}

TEST(ComputeOutSize, InvalidArgumentsGiveZero) {
  EXPECT_EQ(compute_out_size(Padding::kValid, 2, 5, 1, 1), 0);  // filter larger than input
  EXPECT_EQ(compute_out_size(Padding::kSame, 4, 3, 0, 1), 0);   // stride 0
  EXPECT_EQ(compute_out_size(Padding::kSame, 4, 3, 1, 0), 0);   // dilation 0
  EXPECT_EQ(compute_out_size(static_cast<Padding>(7), 4, 3, 1, 1), 0);
  EXPECT_EQ(compute_out_size(Padding::kSame, INT32_MAX, 3, INT32_MAX, 1), 1);  // no overflow
}

TEST(ComputePadding, OddTotalGoesToTheEnd) {
  // 3 wide, filter 2, stride 2, SAME → out 2, total (2−1)·2 + 2 − 3 = 1.
  const PaddingValues p = compute_padding(2, 2, 1, 1, 3, 3, 2, 2, 2, 2);
  EXPECT_EQ(p.height, 0);
  EXPECT_EQ(p.height_offset, 1);
  EXPECT_EQ(p.width, 0);
  EXPECT_EQ(p.width_offset, 1);
}

TEST(ComputePadding, DilationAndUnequalAxes) {
  // h: in 9, filter 3, dilation 2, stride 1, out 9 → total 8 + 5 − 9 = 4.
  // w: in 10, filter 4, stride 2, out 5 → total 8 + 4 − 10 = 2.
  const PaddingValues p = compute_padding(1, 2, 2, 1, 9, 10, 3, 4, 9, 5);
  EXPECT_EQ(p.height, 2);
  EXPECT_EQ(p.height_offset, 0);
  EXPECT_EQ(p.width, 1);
  EXPECT_EQ(p.width_offset, 0);
}

TEST(ComputePadding, ValidNeedsNone) {
  const PaddingValues p = compute_padding(1, 1, 1, 1, 5, 5, 3, 3, 3, 3);
  EXPECT_EQ(p.height, 0);
  EXPECT_EQ(p.width, 0);
  EXPECT_EQ(p.height_offset, 0);
}

TEST(ComputePadding, TransposeConvUsesOutputAsInput) {
  // TFLite Micro's TRANSPOSE_CONV: output 12 wide, filter 4, stride 3, SAME
  // → conv-out 4, total (4−1)·3 + 4 − 12 = 1: pad 0, offset 1.
  const int32_t conv_out = compute_out_size(Padding::kSame, 12, 4, 3, 1);
  const PaddingValues p = compute_padding(3, 3, 1, 1, 12, 12, 4, 4, conv_out, conv_out);
  EXPECT_EQ(p.width, 0);
  EXPECT_EQ(p.width_offset, 1);
}

TEST(ActivationRangeQuantized, Relu6OnInt8Grid) {
  int32_t lo = 0, hi = 0;
  activation_range_quantized(Activation::kRelu6, 0.1f, -3, -128, 127, &lo, &hi);
  EXPECT_EQ(lo, -3);
  EXPECT_EQ(hi, 57);
}

TEST(ActivationRangeQuantized, ClampsToTypeRange) {
  int32_t lo = 0, hi = 0;
  activation_range_quantized(Activation::kRelu6, 0.0235294f, -128, -128, 127, &lo, &hi);
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);  // 6 / 0.0235 = 255 → above 127
  activation_range_quantized(Activation::kRelu, 0.5f, 10, -128, 127, &lo, &hi);
  EXPECT_EQ(lo, 10);
  EXPECT_EQ(hi, 127);
  activation_range_quantized(Activation::kNone, 0.5f, 10, -32768, 32767, &lo, &hi);
  EXPECT_EQ(lo, -32768);
  EXPECT_EQ(hi, 32767);
}

TEST(ActivationRangeQuantized, ReluN1To1RoundsHalfAwayFromZero) {
  int32_t lo = 0, hi = 0;
  // 1 / 0.4 = 2.5 → 3 (TfLiteRound), so the range is zp ± 3.
  activation_range_quantized(Activation::kReluN1To1, 0.4f, 0, -128, 127, &lo, &hi);
  EXPECT_EQ(lo, -3);
  EXPECT_EQ(hi, 3);
}

TEST(ActivationRangeQuantized, TinyScaleSaturatesInsteadOfOverflowing) {
  int32_t lo = 0, hi = 0;
  activation_range_quantized(Activation::kRelu6, 1e-30f, 0, -32768, 32767, &lo, &hi);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 32767);
}

TEST(ActivationRangeFloat, MatchesTflite) {
  float lo = 0, hi = 0;
  activation_range_float(Activation::kNone, &lo, &hi);
  EXPECT_EQ(lo, -FLT_MAX);
  EXPECT_EQ(hi, FLT_MAX);
  activation_range_float(Activation::kRelu, &lo, &hi);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, FLT_MAX);
  activation_range_float(Activation::kRelu6, &lo, &hi);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 6.0f);
  activation_range_float(Activation::kReluN1To1, &lo, &hi);
  EXPECT_EQ(lo, -1.0f);
  EXPECT_EQ(hi, 1.0f);
}

}  // namespace
}  // namespace kiln::runtime
