// ADD / SUB / MUL: broadcast plans, hand-computed quantized results
// (rounding ties, negative zero points, clamps) and a double-precision
// cross-check of the int8 paths.
#include "kiln/kernels/elementwise.h"

#include <gtest/gtest.h>
#include <math.h>

#include <random>
#include <vector>

namespace kiln::kernels {
namespace {

BroadcastPlan plan_for(std::vector<int32_t> a, std::vector<int32_t> b, std::vector<int32_t> out) {
  BroadcastPlan p;
  EXPECT_TRUE(make_broadcast_plan(a.data(), static_cast<uint32_t>(a.size()), b.data(),
                                  static_cast<uint32_t>(b.size()), out.data(),
                                  static_cast<uint32_t>(out.size()), &p));
  return p;
}

bool plan_ok(std::vector<int32_t> a, std::vector<int32_t> b, std::vector<int32_t> out) {
  BroadcastPlan p;
  return make_broadcast_plan(a.data(), static_cast<uint32_t>(a.size()), b.data(),
                             static_cast<uint32_t>(b.size()), out.data(),
                             static_cast<uint32_t>(out.size()), &p);
}

AddSubParams add_params(float s1, int32_t z1, float s2, int32_t z2, float so, int32_t zo,
                        int32_t left_shift, int32_t qmin, int32_t qmax) {
  AddSubParams p;
  EXPECT_TRUE(make_add_sub_params(s1, z1, s2, z2, so, zo, left_shift, &p));
  p.act_min = qmin;
  p.act_max = qmax;
  return p;
}

const FloatRange kNoClamp{-1e30f, 1e30f};

// --- broadcast plans -------------------------------------------------------

TEST(BroadcastPlan, SameShapeIsOneLoop) {
  const BroadcastPlan p = plan_for({2, 3, 4}, {2, 3, 4}, {2, 3, 4});
  EXPECT_EQ(p.rank, 1u);
  EXPECT_EQ(p.extent[0], 24);
  EXPECT_EQ(p.stride1[0], 1);
  EXPECT_EQ(p.stride2[0], 1);
  EXPECT_EQ(p.elements, 24u);
}

TEST(BroadcastPlan, TrailingVectorRepeatsPerRow) {
  // seanet SUB: [1,2,12,64] - [64].
  const BroadcastPlan p = plan_for({1, 2, 12, 64}, {64}, {1, 2, 12, 64});
  ASSERT_EQ(p.rank, 2u);
  EXPECT_EQ(p.extent[0], 24);
  EXPECT_EQ(p.extent[1], 64);
  EXPECT_EQ(p.stride1[0], 64);
  EXPECT_EQ(p.stride2[0], 0);
  EXPECT_EQ(p.stride1[1], 1);
  EXPECT_EQ(p.stride2[1], 1);
}

TEST(BroadcastPlan, BothInputsBroadcast) {
  const BroadcastPlan p = plan_for({2, 1, 3}, {1, 4, 1}, {2, 4, 3});
  ASSERT_EQ(p.rank, 3u);
  EXPECT_EQ(p.extent[0], 2);
  EXPECT_EQ(p.extent[1], 4);
  EXPECT_EQ(p.extent[2], 3);
  EXPECT_EQ(p.stride1[0], 3);
  EXPECT_EQ(p.stride1[1], 0);
  EXPECT_EQ(p.stride1[2], 1);
  EXPECT_EQ(p.stride2[0], 0);
  EXPECT_EQ(p.stride2[1], 1);
  EXPECT_EQ(p.stride2[2], 0);
  EXPECT_EQ(p.elements, 24u);
}

TEST(BroadcastPlan, ScalarsAndEmpty) {
  const BroadcastPlan s = plan_for({}, {}, {});
  EXPECT_EQ(s.elements, 1u);
  EXPECT_EQ(s.rank, 1u);
  const BroadcastPlan e = plan_for({0, 3}, {3}, {0, 3});
  EXPECT_EQ(e.elements, 0u);
}

TEST(BroadcastPlan, RejectsIncompatibleShapes) {
  EXPECT_FALSE(plan_ok({2, 3}, {3, 2}, {2, 3}));
  EXPECT_FALSE(plan_ok({2, 3}, {3}, {2, 4}));
  EXPECT_FALSE(plan_ok({2, 3}, {3}, {3}));  // output rank below an input's
  EXPECT_FALSE(plan_ok({1, 1, 1, 1, 1, 1, 1}, {1}, {1, 1, 1, 1, 1, 1, 1}));  // rank 7
  EXPECT_TRUE(plan_ok({1, 1, 1, 1, 1, 2}, {2}, {1, 1, 1, 1, 1, 2}));         // rank 6
}

// --- float -----------------------------------------------------------------

TEST(AddFloat, BroadcastsAndClamps) {
  const BroadcastPlan p = plan_for({2, 3}, {3}, {2, 3});
  const float a[] = {1, 2, 3, 4, 5, 6};
  const float b[] = {10, -20, 30};
  float out[6];
  add_float(p, kNoClamp, a, b, out);
  const float want[] = {11, -18, 33, 14, -15, 36};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]) << i;
  add_float(p, FloatRange{0.0f, 6.0f}, a, b, out);  // RELU6
  const float want6[] = {6, 0, 6, 6, 0, 6};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want6[i]) << i;
}

TEST(SubMulFloat, BroadcastFirstInput) {
  const BroadcastPlan p = plan_for({1, 2}, {3, 2}, {3, 2});
  const float a[] = {1, 2};
  const float b[] = {1, 2, 3, 4, 5, 6};
  float out[6];
  sub_float(p, kNoClamp, a, b, out);
  const float want_sub[] = {0, 0, -2, -2, -4, -4};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want_sub[i]) << i;
  mul_float(p, FloatRange{-1.0f, 1e30f}, a, b, out);
  const float want_mul[] = {1, 4, 3, 8, 5, 12};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want_mul[i]) << i;
}

// --- quantized ADD ---------------------------------------------------------

TEST(AddInt8, MultipliersFollowTflm) {
  const AddSubParams p = add_params(0.5f, 0, 0.25f, 0, 1.0f, 0, 20, -128, 127);
  // twice_max = 1: input 1 at 0.5 (2^30, shift 0), input 2 at 0.25 (2^30, -1),
  // output 1 / 2^20 (2^30, shift -19).
  EXPECT_EQ(p.input1_multiplier, 1 << 30);
  EXPECT_EQ(p.input1_shift, 0);
  EXPECT_EQ(p.input2_multiplier, 1 << 30);
  EXPECT_EQ(p.input2_shift, -1);
  EXPECT_EQ(p.output_multiplier, 1 << 30);
  EXPECT_EQ(p.output_shift, -19);
}

TEST(AddInt8, RoundsHalfAwayFromZero) {
  // Inputs at scale 0.5, output at scale 1: every odd sum is a tie.
  const AddSubParams p = add_params(0.5f, 0, 0.5f, 0, 1.0f, 0, 20, -128, 127);
  const BroadcastPlan plan = plan_for({6}, {6}, {6});
  const int8_t a[] = {10, 1, -1, 3, -3, 127};
  const int8_t b[] = {6, 0, 0, 0, 0, 127};
  int8_t out[6];
  add_int8(plan, p, a, b, out);
  // 8.0, 0.5, -0.5, 1.5, -1.5, 127.
  const int8_t want[] = {8, 1, -1, 2, -2, 127};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(AddInt8, NegativeZeroPointsAndFusedRelu) {
  // in1: scale 0.5, zp -5; in2: scale 0.5, zp 3; out: scale 1, zp -2.
  AddSubParams p = add_params(0.5f, -5, 0.5f, 3, 1.0f, -2, 20, -128, 127);
  const BroadcastPlan plan = plan_for({4}, {4}, {4});
  const int8_t a[] = {-5, 5, -15, 100};  // 0, 5, -5, 52.5
  const int8_t b[] = {3, 7, 1, 127};     // 0, 2, -1, 62
  int8_t out[4];
  add_int8(plan, p, a, b, out);
  // real sums 0, 7, -6, 114.5 -> q = sum + (-2), 114.5 rounds to 115 -> 113.
  const int8_t want[] = {-2, 5, -8, 113};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], want[i]) << i;
  p.act_min = -2;  // RELU: max(qmin, zp + 0)
  add_int8(plan, p, a, b, out);
  const int8_t want_relu[] = {-2, 5, -2, 113};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], want_relu[i]) << i;
}

TEST(AddInt8, SaturatesAtTypeLimits) {
  const AddSubParams p = add_params(1.0f, 0, 1.0f, 0, 1.0f, 0, 20, -128, 127);
  const BroadcastPlan plan = plan_for({2}, {2}, {2});
  const int8_t a[] = {100, -100};
  const int8_t b[] = {100, -100};
  int8_t out[2];
  add_int8(plan, p, a, b, out);
  EXPECT_EQ(out[0], 127);
  EXPECT_EQ(out[1], -128);
}

TEST(AddInt16, GeneralScalePathWithBroadcast) {
  // Left shift 15; in1 scale 2^-10, in2 scale 2^-11, out 2^-10.
  const AddSubParams p =
      add_params(1.0f / 1024, 0, 1.0f / 2048, 0, 1.0f / 1024, 0, 15, INT16_MIN, INT16_MAX);
  const BroadcastPlan plan = plan_for({2, 2}, {2}, {2, 2});
  const int16_t a[] = {1000, -1000, 32767, -32768};
  const int16_t b[] = {3, -3};  // 1.5 and -1.5 output LSBs
  int16_t out[4];
  add_int16(plan, p, a, b, out);
  // 1000 + 1.5 = 1001.5 -> 1002; -1000 - 1.5 -> -1002; saturation at both ends.
  const int16_t want[] = {1002, -1002, 32767, -32768};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(AddParams, RejectsOutOfRangeRatios) {
  AddSubParams p;
  EXPECT_FALSE(make_add_sub_params(0.0f, 0, 1.0f, 0, 1.0f, 0, 20, &p));
  // Output scale so small that twice_max / (2^20 · out) >= 1.
  EXPECT_FALSE(make_add_sub_params(1.0f, 0, 1.0f, 0, 1e-7f, 0, 20, &p));
  EXPECT_FALSE(make_sub_params_float_ratios(1.0f, 0, 1.0f, 0, 1e-7f, 0, 20, &p));
}

// --- quantized SUB ---------------------------------------------------------

TEST(SubInt8, HandComputed) {
  AddSubParams p;
  ASSERT_TRUE(make_add_sub_params(0.5f, 1, 0.5f, -1, 1.0f, 0, 20, &p));
  p.act_min = -128;
  p.act_max = 127;
  const BroadcastPlan plan = plan_for({4}, {4}, {4});
  const int8_t a[] = {11, 1, 4, -127};  // 5, 0, 1.5, -64
  const int8_t b[] = {-1, 0, -1, 127};  // 0, 0.5, 0, 64
  int8_t out[4];
  sub_int8(plan, p, a, b, out);
  const int8_t want[] = {5, -1, 2, -128};  // 5, -0.5 -> -1, 1.5 -> 2, -128 saturated
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(SubInt16, BroadcastVectorLikeSeanet) {
  AddSubParams p;
  ASSERT_TRUE(make_add_sub_params(1.0f / 512, 0, 1.0f / 1024, 0, 1.0f / 512, 0, 15, &p));
  p.act_min = INT16_MIN;
  p.act_max = INT16_MAX;
  const BroadcastPlan plan = plan_for({1, 2, 3}, {3}, {1, 2, 3});
  const int16_t a[] = {10, 20, 30, -10, -20, -30};
  const int16_t b[] = {2, 3, -3};  // 1, 1.5, -1.5 output LSBs
  int16_t out[6];
  sub_int16(plan, p, a, b, out);
  // 18.5 -> 19, 31.5 -> 32, -21.5 -> -22, -28.5 -> -29: ties away from zero.
  const int16_t want[] = {9, 19, 32, -11, -22, -29};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

// The scales of seanet's sub0 layer: the ratios formed in double (TFLite)
// and in float (TFLM's SUB) quantize differently, and the golden output
// -20181 (real -20181.4996) needs the double form.
TEST(SubInt16, DoubleAndFloatRatiosDifferOnSeanetScales) {
  const float s1 = 0x1.fc3adap-11f, s2 = 0x1.2440fap-17f, so = 0x1.378162p-11f;
  AddSubParams d, f;
  ASSERT_TRUE(make_add_sub_params(s1, 0, s2, 0, so, 0, 15, &d));
  ASSERT_TRUE(make_sub_params_float_ratios(s1, 0, s2, 0, so, 0, 15, &f));
  EXPECT_EQ(d.input2_multiplier, 1234894487);
  EXPECT_EQ(f.input2_multiplier, 1234894464);
  EXPECT_EQ(d.output_multiplier, 1751840209);
  EXPECT_EQ(f.output_multiplier, 1751840256);
  EXPECT_EQ(d.output_shift, -13);
  d.act_min = f.act_min = INT16_MIN;
  d.act_max = f.act_max = INT16_MAX;
  const BroadcastPlan plan = plan_for({1}, {1}, {1});
  const int16_t a = -12142, b = 25341;
  int16_t out_d, out_f;
  sub_int16(plan, d, &a, &b, &out_d);
  sub_int16(plan, f, &a, &b, &out_f);
  EXPECT_EQ(out_d, -20181);
  EXPECT_EQ(out_f, -20182);
}

// --- quantized MUL ---------------------------------------------------------

TEST(MulInt8, HandComputedWithZeroPoints) {
  MulParams p;
  // 0.5 · 0.25 / 0.125 = 1.
  ASSERT_TRUE(make_mul_params(0.5f, 1, 0.25f, -1, 0.125f, 4, &p));
  EXPECT_EQ(p.multiplier, 1 << 30);
  EXPECT_EQ(p.shift, 1);
  p.act_min = -128;
  p.act_max = 127;
  const BroadcastPlan plan = plan_for({3}, {1}, {3});
  const int8_t a[] = {3, -1, 127};  // offsets: 2, -2, 126
  const int8_t b[] = {5};           // offset: 6
  int8_t out[3];
  mul_int8(plan, p, a, b, out);
  const int8_t want[] = {16, -8, 127};  // 12 + 4, -12 + 4, 756 + 4 saturated
  for (int i = 0; i < 3; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

// With a shift of 0 the tie is decided by SaturatingRoundingDoublingHighMul,
// which rounds half toward +infinity (unlike the ADD path above).
TEST(MulInt8, TiesFollowDoubleRounding) {
  MulParams p;
  ASSERT_TRUE(make_mul_params(0.5f, 0, 1.0f, 0, 1.0f, 0, &p));  // real 0.5
  p.act_min = -128;
  p.act_max = 127;
  const BroadcastPlan plan = plan_for({4}, {4}, {4});
  const int8_t a[] = {3, -3, 5, -5};
  const int8_t b[] = {1, 1, 1, 1};
  int8_t out[4];
  mul_int8(plan, p, a, b, out);
  const int8_t want[] = {2, -1, 3, -2};  // 1.5, -1.5, 2.5, -2.5
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(MulInt16, LargeProductsStayExact) {
  MulParams p;
  ASSERT_TRUE(make_mul_params(1.0f / 32768, 0, 1.0f / 32768, 0, 1.0f / 32768, 0, &p));
  p.act_min = INT16_MIN;
  p.act_max = INT16_MAX;
  const BroadcastPlan plan = plan_for({3}, {3}, {3});
  const int16_t a[] = {-32768, 16384, -16384};
  const int16_t b[] = {-32768, 16384, 3};
  int16_t out[3];
  mul_int16(plan, p, a, b, out);
  // 1.0 saturates to 32767; 0.25 -> 8192; -16384·3/32768 = -1.5 -> -2.
  const int16_t want[] = {32767, 8192, -2};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(MulParams, RejectsHugeLeftShift) {
  MulParams p;
  EXPECT_FALSE(make_mul_params(1e10f, 0, 1e10f, 0, 1e-10f, 0, &p));
}

// --- double-precision cross-check -----------------------------------------

// The fixed-point result differs from the exact real result by at most one
// output step (two roundings of the inputs plus one of the output).
TEST(Int8Arithmetic, WithinOneStepOfExactResult) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> scale(0.005f, 0.2f);
  std::uniform_int_distribution<int> q(-128, 127);
  std::uniform_int_distribution<int> zp(-20, 20);
  const BroadcastPlan plan = plan_for({64}, {64}, {64});
  for (int trial = 0; trial < 50; ++trial) {
    const float s1 = scale(rng), s2 = scale(rng), so = scale(rng) * 2.0f;
    const int32_t z1 = zp(rng), z2 = zp(rng), zo = zp(rng);
    AddSubParams ap, sp;
    MulParams mp;
    ASSERT_TRUE(make_add_sub_params(s1, z1, s2, z2, so, zo, 20, &ap));
    ASSERT_TRUE(make_sub_params_float_ratios(s1, z1, s2, z2, so, zo, 20, &sp));
    ASSERT_TRUE(make_mul_params(s1, z1, s2, z2, so, zo, &mp));
    ap.act_min = sp.act_min = mp.act_min = -128;
    ap.act_max = sp.act_max = mp.act_max = 127;
    int8_t a[64], b[64], add_out[64], sub_out[64], mul_out[64];
    for (int i = 0; i < 64; ++i) {
      a[i] = static_cast<int8_t>(q(rng));
      b[i] = static_cast<int8_t>(q(rng));
    }
    add_int8(plan, ap, a, b, add_out);
    sub_int8(plan, sp, a, b, sub_out);
    mul_int8(plan, mp, a, b, mul_out);
    for (int i = 0; i < 64; ++i) {
      const double x = s1 * (a[i] - z1), y = s2 * (b[i] - z2);
      const auto expect_near = [&](double real, int8_t got, const char* what) {
        const double want = fmin(127.0, fmax(-128.0, round(real / so) + zo));
        EXPECT_LE(fabs(got - want), 1.0) << what << " trial " << trial << " i " << i;
      };
      expect_near(x + y, add_out[i], "add");
      expect_near(x - y, sub_out[i], "sub");
      expect_near(x * y, mul_out[i], "mul");
    }
  }
}

}  // namespace
}  // namespace kiln::kernels
