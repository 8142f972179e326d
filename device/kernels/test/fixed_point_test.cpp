// Fixed-point primitives: exact values produced by TFLite Micro's reference
// (gemmlowp) arithmetic, plus accuracy against double-precision math.
#include "kiln/kernels/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fp = kiln::kernels::fixed_point;

namespace {

double q_to_double(int32_t raw, int integer_bits) { return std::ldexp(static_cast<double>(raw), integer_bits - 31); }
int32_t to_q(double v, int integer_bits) { return static_cast<int32_t>(std::lround(std::ldexp(v, 31 - integer_bits))); }

TEST(FixedPoint, ExpOnNegativeValuesMatchesReferenceBits) {
  EXPECT_EQ(fp::exp_on_negative_values<5>(0), INT32_MAX);
  EXPECT_EQ(fp::exp_on_negative_values<5>(-(1 << 26)), 790015308);   // exp(-1)
  EXPECT_EQ(fp::exp_on_negative_values<5>(-(1 << 25)), 1302515042);  // exp(-0.5)
  EXPECT_EQ(fp::exp_on_negative_values<5>(-(11 << 24)), 137284076);  // exp(-2.75)
  EXPECT_EQ(fp::exp_on_negative_values<5>(-(20 << 26)), 4);          // exp(-20)
  EXPECT_EQ(fp::exp_on_negative_values<0>(-(1 << 28)), 1895147668);  // exp(-1/8)
}

TEST(FixedPoint, ExpOnNegativeValuesIsAccurate) {
  for (double x = -31.9; x < 0.0; x += 0.037) {
    const double got = q_to_double(fp::exp_on_negative_values<5>(to_q(x, 5)), 0);
    EXPECT_NEAR(got, std::exp(x), 2e-8 + 1e-6 * std::exp(x)) << "x=" << x;
  }
}

TEST(FixedPoint, LogisticAndTanhMatchReferenceBits) {
  EXPECT_EQ(fp::logistic<4>(0), 1 << 30);
  EXPECT_EQ(fp::logistic<4>(1 << 27), 1569936226);     // logistic(1)
  EXPECT_EQ(fp::logistic<4>(-(1 << 27)), 577547421);   // logistic(-1)
  EXPECT_EQ(fp::tanh<4>(0), 0);
  EXPECT_EQ(fp::tanh<4>(1 << 26), 992388804);          // tanh(0.5)
  EXPECT_EQ(fp::tanh<4>(3 << 27), 2136863820);         // tanh(3)
}

TEST(FixedPoint, LogisticComplementAndTanhOddSymmetry) {
  for (int32_t raw = 1; raw < (15 << 27); raw += 7919 * 131) {
    EXPECT_EQ(fp::logistic<4>(-raw), INT32_MAX - fp::logistic<4>(raw)) << raw;
    EXPECT_EQ(fp::tanh<4>(-raw), -fp::tanh<4>(raw)) << raw;
  }
}

TEST(FixedPoint, LogisticAndTanhAreAccurate) {
  for (double x = -15.9; x < 15.9; x += 0.013) {
    const int32_t q = to_q(x, 4);
    EXPECT_NEAR(q_to_double(fp::logistic<4>(q), 0), 1.0 / (1.0 + std::exp(-x)), 1e-6) << "x=" << x;
    EXPECT_NEAR(q_to_double(fp::tanh<4>(q), 0), std::tanh(x), 1e-6) << "x=" << x;
  }
}

TEST(FixedPoint, OneOverOnePlusX) {
  EXPECT_EQ(fp::one_over_one_plus_x_for_x_in_0_1(0), INT32_MAX);
  EXPECT_EQ(fp::one_over_one_plus_x_for_x_in_0_1(1 << 30), 1431655762);  // 1/1.5
  EXPECT_EQ(fp::one_over_one_plus_x_for_x_in_0_1(1 << 29), 1717986914);  // 1/1.25
}

TEST(FixedPoint, Reciprocal) {
  int bits = 0;
  // 3.0 in Q12.19: 1/3 = (2/3) · 2^-1.
  EXPECT_EQ(fp::reciprocal(3 << 19, 12, &bits), 1431655762);
  EXPECT_EQ(bits, 1);
}

TEST(FixedPoint, SaturatingRoundingMultiplyByPot) {
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(3, 2), 12);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(1 << 29, 2), INT32_MAX);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(-(1 << 29), 2), INT32_MIN);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(-(1 << 29) + 1, 2), INT32_MIN + 4);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(6, -2), 2);    // 1.5 → 2
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(-6, -2), -2);  // -1.5 → -2 (away from zero)
  EXPECT_EQ(fp::rounding_half_sum(3, 4), 4);
  EXPECT_EQ(fp::rounding_half_sum(-3, -4), -4);
  EXPECT_EQ(fp::rounding_half_sum(INT32_MAX, INT32_MAX), INT32_MAX);
}

}  // namespace
