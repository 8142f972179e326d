// Fixed-point requantization helpers against hand-computed values and
// straightforward 64-bit / double formulations of the same definitions.
#include "kiln/kernels/quant.h"

#include <gtest/gtest.h>
#include <math.h>

#include <random>

namespace kiln::kernels {
namespace {

// --- quantize_multiplier ---------------------------------------------------

void expect_qm(double real, int32_t multiplier, int32_t shift) {
  const QuantizedMultiplier q = quantize_multiplier(real);
  EXPECT_EQ(q.multiplier, multiplier) << "real " << real;
  EXPECT_EQ(q.shift, shift) << "real " << real;
}

TEST(QuantizeMultiplier, PowersOfTwo) {
  expect_qm(0.5, 1 << 30, 0);
  expect_qm(0.25, 1 << 30, -1);
  expect_qm(1.0, 1 << 30, 1);
  expect_qm(2.0, 1 << 30, 2);
  expect_qm(ldexp(1.0, -31), 1 << 30, -30);
}

TEST(QuantizeMultiplier, NonPowersOfTwo) {
  expect_qm(1.5, 3 << 29, 1);        // 0.75 · 2^1
  expect_qm(0.75, 3 << 29, 0);
  expect_qm(0.1, 1717986918, -3);    // 0.8 · 2^-3; 0.8 · 2^31 = 1717986918.4
  expect_qm(1.0 / 3.0, 1431655765, -1);  // 2/3 · 2^31 = 1431655765.33
}

TEST(QuantizeMultiplier, RoundsHalfAwayFromZero) {
  // fraction = 0.5 + 2.5 · 2^-31 → q · 2^31 = 2^30 + 2.5 → 2^30 + 3.
  expect_qm(0.5 + 2.5 * ldexp(1.0, -31), (1 << 30) + 3, 0);
}

TEST(QuantizeMultiplier, FractionRoundingUpToOneCarriesIntoShift) {
  // 1 − 2^-40 has fraction ≈ 1 that rounds to 2^31: halved, shift + 1.
  expect_qm(1.0 - ldexp(1.0, -40), 1 << 30, 1);
}

TEST(QuantizeMultiplier, TinyMultipliersFlushToZero) {
  expect_qm(ldexp(1.0, -32), 1 << 30, -31);  // shift -31 still representable
  expect_qm(ldexp(1.0, -33), 0, 0);          // shift -32: flushed
  expect_qm(0.0, 0, 0);
}

TEST(QuantizeMultiplier, NegativeKeepsSign) { expect_qm(-0.5, -(1 << 30), 0); }

TEST(QuantizeMultiplier, NonFiniteGivesZero) {
  expect_qm(INFINITY, 0, 0);
  expect_qm(NAN, 0, 0);
}

TEST(QuantizeMultiplier, ReconstructsWithinHalfAnLsb) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> mantissa(0.5, 1.0);
  std::uniform_int_distribution<int> exponent(-30, 10);
  for (int i = 0; i < 10000; ++i) {
    const double real = ldexp(mantissa(rng), exponent(rng));
    const QuantizedMultiplier q = quantize_multiplier(real);
    ASSERT_GE(q.multiplier, 1 << 30);
    const double lsb = ldexp(1.0, q.shift - 31);
    EXPECT_LE(fabs(q.multiplier * lsb - real), lsb / 2) << real;
  }
}

// --- saturating_rounding_doubling_high_mul ---------------------------------

// round(a·b / 2^31) with ties toward +∞, written as a floor in 64 bits.
int32_t srdhm_reference(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t ab = static_cast<int64_t>(a) * b;
  return static_cast<int32_t>((ab + (INT64_C(1) << 30)) >> 31);  // arithmetic shift = floor
}

TEST(SaturatingRoundingDoublingHighMul, EdgeValues) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MIN), INT32_MAX);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MAX), -INT32_MAX);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(INT32_MAX, INT32_MAX), INT32_MAX - 1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1 << 30, 1 << 30), 1 << 29);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(0, INT32_MIN), 0);
}

TEST(SaturatingRoundingDoublingHighMul, TiesRoundTowardPlusInfinity) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1, 1 << 30), 1);    // +0.5 → 1
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-1, 1 << 30), 0);   // −0.5 → 0
  EXPECT_EQ(saturating_rounding_doubling_high_mul(3, 1 << 30), 2);    // +1.5 → 2
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-3, 1 << 30), -1);  // −1.5 → −1
}

TEST(SaturatingRoundingDoublingHighMul, MatchesReferenceOnRandomPairs) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  for (int i = 0; i < 100000; ++i) {
    const int32_t a = any(rng), b = any(rng);
    ASSERT_EQ(saturating_rounding_doubling_high_mul(a, b), srdhm_reference(a, b)) << a << " * " << b;
  }
}

// --- rounding_divide_by_pot -------------------------------------------------

// x / 2^e rounded half away from zero, on magnitudes in 64 bits.
int32_t rdbp_reference(int32_t x, int32_t e) {
  const int64_t mag = x < 0 ? -static_cast<int64_t>(x) : x;
  const int64_t half = e > 0 ? (INT64_C(1) << (e - 1)) : 0;
  const int64_t q = (mag + half) >> e;
  return static_cast<int32_t>(x < 0 ? -q : q);
}

TEST(RoundingDivideByPot, TiesAwayFromZero) {
  EXPECT_EQ(rounding_divide_by_pot(3, 1), 2);    // 1.5
  EXPECT_EQ(rounding_divide_by_pot(-3, 1), -2);  // −1.5
  EXPECT_EQ(rounding_divide_by_pot(-5, 2), -1);  // −1.25
  EXPECT_EQ(rounding_divide_by_pot(-6, 2), -2);  // −1.5
  EXPECT_EQ(rounding_divide_by_pot(-1, 1), -1);  // −0.5
  EXPECT_EQ(rounding_divide_by_pot(1, 1), 1);    // 0.5
  EXPECT_EQ(rounding_divide_by_pot(7, 0), 7);
}

TEST(RoundingDivideByPot, ExtremeValues) {
  EXPECT_EQ(rounding_divide_by_pot(INT32_MIN, 31), -1);
  EXPECT_EQ(rounding_divide_by_pot(INT32_MAX, 31), 1);
  EXPECT_EQ(rounding_divide_by_pot(1 << 30, 31), 1);      // 0.5
  EXPECT_EQ(rounding_divide_by_pot(-(1 << 30), 31), -1);  // −0.5
  EXPECT_EQ(rounding_divide_by_pot(INT32_MIN, 1), -(1 << 30));
  EXPECT_EQ(rounding_divide_by_pot(INT32_MAX, 1), 1 << 30);  // 2^30 − 0.5 → 2^30
}

TEST(RoundingDivideByPot, MatchesReferenceOnRandomValues) {
  std::mt19937 rng(13);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  for (int i = 0; i < 100000; ++i) {
    const int32_t x = any(rng);
    const int32_t e = i % 32;
    ASSERT_EQ(rounding_divide_by_pot(x, e), rdbp_reference(x, e)) << x << " >> " << e;
  }
}

// --- multiply_by_quantized_multiplier (int32) -------------------------------

TEST(MultiplyByQuantizedMultiplier, HandValues) {
  const int32_t half = 1 << 30;
  EXPECT_EQ(multiply_by_quantized_multiplier(int32_t{100}, half, 0), 50);
  EXPECT_EQ(multiply_by_quantized_multiplier(int32_t{3}, half, 0), 2);    // 1.5
  EXPECT_EQ(multiply_by_quantized_multiplier(int32_t{-3}, half, 0), -1);  // −1.5
  EXPECT_EQ(multiply_by_quantized_multiplier(int32_t{7}, half, 2), 14);   // ×2: left shift
  EXPECT_EQ(multiply_by_quantized_multiplier(int32_t{-3}, half, -1), -1); // −0.75
}

TEST(MultiplyByQuantizedMultiplier, DoubleRoundingDiffersFromExact) {
  // 5 · 0.25 = 1.25: the high-mul rounds 2.5 up to 3, then 3/2 = 1.5 rounds to 2.
  EXPECT_EQ(multiply_by_quantized_multiplier(int32_t{5}, 1 << 30, -1), 2);
}

TEST(MultiplyByQuantizedMultiplier, CloseToExactProduct) {
  std::mt19937 rng(17);
  std::uniform_int_distribution<int32_t> acc(-(1 << 24), 1 << 24);
  std::uniform_real_distribution<double> real(1e-5, 0.9);
  for (int i = 0; i < 20000; ++i) {
    const double m = real(rng);
    const QuantizedMultiplier q = quantize_multiplier(m);
    const int32_t x = acc(rng);
    const double exact = x * (q.multiplier * ldexp(1.0, q.shift - 31));
    EXPECT_LE(fabs(multiply_by_quantized_multiplier(x, q.multiplier, q.shift) - exact), 1.0) << x << " * " << m;
  }
}

// --- multiply_by_quantized_multiplier (int64, 16x8) --------------------------

TEST(MultiplyByQuantizedMultiplier64, HandValues) {
  const int32_t half = 1 << 30;  // reduced to 2^14, total shift 15
  EXPECT_EQ(multiply_by_quantized_multiplier(int64_t{1000}, half, 0), 500);
  EXPECT_EQ(multiply_by_quantized_multiplier(int64_t{1001}, half, 0), 501);    // 500.5 → up
  EXPECT_EQ(multiply_by_quantized_multiplier(int64_t{-1001}, half, 0), -500);  // −500.5 → up
  EXPECT_EQ(multiply_by_quantized_multiplier(int64_t{1} << 40, half, -10), 1 << 29);
}

TEST(MultiplyByQuantizedMultiplier64, ReducedMultiplierSaturatesAt0x7FFF) {
  // 0x7FFFFFFF would round to 0x8000; TFLite caps it at 0x7FFF.
  // 2^16 · 0x7FFF / 2^15 = 65534 exactly, + 0.5 rounding → 65534; with
  // 0x8000 it would be 65536.
  EXPECT_EQ(multiply_by_quantized_multiplier(int64_t{1} << 16, INT32_MAX, 0), 65534);
}

TEST(MultiplyByQuantizedMultiplier64, MatchesSingleRoundingFormula) {
  std::mt19937 rng(19);
  // Accumulators and shifts whose results fit int32.
  std::uniform_int_distribution<int64_t> acc(-(INT64_C(1) << 30), INT64_C(1) << 30);
  std::uniform_int_distribution<int32_t> mult(1 << 30, INT32_MAX);
  std::uniform_int_distribution<int32_t> shift(-31, 0);
  for (int i = 0; i < 20000; ++i) {
    const int64_t x = acc(rng);
    const int32_t m = mult(rng), s = shift(rng);
    const int64_t reduced = m < 0x7FFF0000 ? (m + (1 << 15)) / 65536 : 0x7FFF;
    const int32_t t = 15 - s;
    // floor(x·reduced / 2^t + 1/2), evaluated in long double (exact here).
    const long double scaled = static_cast<long double>(x) * reduced / powl(2.0L, t) + 0.5L;
    ASSERT_EQ(multiply_by_quantized_multiplier(x, m, s), static_cast<int32_t>(floorl(scaled))) << x << " " << m << " " << s;
  }
}

TEST(WrappingAdd, WrapsLikeTwosComplement) {
  EXPECT_EQ(wrapping_add(INT32_MAX, 1), INT32_MIN);
  EXPECT_EQ(wrapping_add(INT32_MIN, -1), INT32_MAX);
  EXPECT_EQ(wrapping_add(-5, 3), -2);
}

}  // namespace
}  // namespace kiln::kernels
