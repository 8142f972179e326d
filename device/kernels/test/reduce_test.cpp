// MEAN: axis resolution, TFLite's folded 1/count multiplier, rounding of
// quantized means, float means in row-major summation order.
#include "kiln/kernels/reduce.h"

#include <gtest/gtest.h>

#include <vector>

namespace kiln::kernels {
namespace {

ReducePlan plan_for(std::vector<int32_t> dims, std::vector<int32_t> axes) {
  ReducePlan p;
  EXPECT_TRUE(make_reduce_plan(dims.data(), static_cast<uint32_t>(dims.size()), axes.data(),
                               static_cast<uint32_t>(axes.size()), &p));
  return p;
}

TEST(ReducePlan, ResolvesNegativeAndDuplicateAxes) {
  const ReducePlan p = plan_for({1, 2, 3, 4}, {1, -2, 1});
  EXPECT_EQ(p.output_count, 4u);
  EXPECT_EQ(p.reduce_count, 6);
  EXPECT_EQ(p.input_count, 24u);
  EXPECT_EQ(p.out_stride[0], 4);
  EXPECT_EQ(p.out_stride[1], 0);
  EXPECT_EQ(p.out_stride[2], 0);
  EXPECT_EQ(p.out_stride[3], 1);
}

TEST(ReducePlan, RejectsOutOfRangeAxes) {
  const int32_t dims[] = {2, 3};
  const int32_t bad_hi[] = {2};
  const int32_t bad_lo[] = {-3};
  ReducePlan p;
  EXPECT_FALSE(make_reduce_plan(dims, 2, bad_hi, 1, &p));
  EXPECT_FALSE(make_reduce_plan(dims, 2, bad_lo, 1, &p));
}

TEST(MeanParams, FoldsCountIntoMultiplier) {
  MeanParams p;
  ASSERT_TRUE(make_mean_params(1.0f, 0, 1.0f, 0, 3, &p));
  // Base 1.0 = 2^30 · 2^(1-31); s = floor(log2 3) = 1: (2^30 << 1) / 3.
  EXPECT_EQ(p.multiplier, 715827882);
  EXPECT_EQ(p.shift, 0);
  ASSERT_TRUE(make_mean_params(1.0f, 0, 1.0f, 0, 4, &p));
  EXPECT_EQ(p.multiplier, 1 << 30);
  EXPECT_EQ(p.shift, -1);
}

TEST(MeanInt8, SpatialAxesWithZeroPoints) {
  // [1, 2, 2, 2] over axes {1, 2}; in zp 3, out zp -1, equal scales.
  const ReducePlan plan = plan_for({1, 2, 2, 2}, {1, 2});
  MeanParams p;
  ASSERT_TRUE(make_mean_params(0.5f, 3, 0.5f, -1, plan.reduce_count, &p));
  const int8_t in[] = {1, 10, 5, 11, 2, 12, 4, 14};
  int32_t acc[2];
  int8_t out[2];
  mean_int8(plan, p, in, acc, out);
  // Channel 0: centred sum 0 -> -1. Channel 1: 35 / 4 = 8.75 -> 9 -> 8.
  EXPECT_EQ(out[0], -1);
  EXPECT_EQ(out[1], 8);
}

TEST(MeanInt8, CountThreeRounding) {
  const ReducePlan plan = plan_for({3, 3}, {1});
  MeanParams p;
  ASSERT_TRUE(make_mean_params(1.0f, 0, 1.0f, 0, plan.reduce_count, &p));
  const int8_t in[] = {1, 1, 2, 1, 2, 2, -1, -2, -2};
  int32_t acc[3];
  int8_t out[3];
  mean_int8(plan, p, in, acc, out);
  EXPECT_EQ(out[0], 1);   // 4/3
  EXPECT_EQ(out[1], 2);   // 5/3
  EXPECT_EQ(out[2], -2);  // -5/3
}

TEST(MeanInt8, ScaleChangeAndSaturation) {
  const ReducePlan plan = plan_for({4}, {0});
  MeanParams p;
  ASSERT_TRUE(make_mean_params(1.0f, 0, 0.25f, 0, plan.reduce_count, &p));
  const int8_t in[] = {100, 100, 100, 100};
  int32_t acc[1];
  int8_t out[1];
  mean_int8(plan, p, in, acc, out);
  EXPECT_EQ(out[0], 127);  // 400 saturates
}

TEST(MeanInt16, AllAxes) {
  const ReducePlan plan = plan_for({2, 2}, {0, 1});
  MeanParams p;
  ASSERT_TRUE(make_mean_params(1.0f, 0, 1.0f, 0, plan.reduce_count, &p));
  const int16_t in[] = {32767, 32767, 32767, 32766};
  int32_t acc[1];
  int16_t out[1];
  mean_int16(plan, p, in, acc, out);
  EXPECT_EQ(out[0], 32767);  // 32766.75
}

TEST(MeanFloat, KeepDimsRowsAndNoAxes) {
  const ReducePlan rows = plan_for({2, 3}, {1});
  const float in[] = {1, 2, 3, 4, 5, 9};
  float out[2];
  mean_float(rows, in, out);
  EXPECT_EQ(out[0], 2.0f);
  EXPECT_EQ(out[1], 6.0f);
  const ReducePlan none = plan_for({2, 3}, {});
  float copy[6];
  mean_float(none, in, copy);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(copy[i], in[i]);
}

TEST(MeanFloat, SumsInInputOrder) {
  // 1e8 + 1 + ... loses the small terms in float exactly as TFLite does.
  const ReducePlan plan = plan_for({4}, {0});
  const float in[] = {1e8f, 1.0f, 1.0f, -1e8f};
  float out[1];
  mean_float(plan, in, out);
  float ref = 0.0f;
  for (float v : in) ref += v;
  EXPECT_EQ(out[0], ref / 4.0f);
  EXPECT_EQ(out[0], 0.0f);
}

TEST(Mean, EmptyInputGivesZeros) {
  const ReducePlan plan = plan_for({0, 3}, {0});
  MeanParams p;
  ASSERT_TRUE(make_mean_params(1.0f, 5, 1.0f, 7, plan.reduce_count, &p));
  int32_t acc[3];
  int8_t out[3] = {1, 1, 1};
  mean_int8(plan, p, nullptr, acc, out);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(out[i], 0);
}

}  // namespace
}  // namespace kiln::kernels
