// Q-format fixed-point math for the non-linear int8 kernels (softmax,
// logistic, tanh), bit-exact with the gemmlowp fixed-point routines that
// TFLite Micro's reference kernels use.
//
// Values are raw int32 with an implied number of integer bits m (Qm.(31-m)):
// real = raw / 2^(31-m). Multiplying a Qa by a Qb value gives Q(a+b). Plain
// additions wrap around like gemmlowp's int32 additions, but without
// undefined behaviour.
#pragma once
#include <stdint.h>

#include "kiln/kernels/quant.h"

namespace kiln::kernels::fixed_point {

inline int32_t add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t sub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
inline int32_t neg(int32_t a) { return static_cast<int32_t>(0u - static_cast<uint32_t>(a)); }

// Qa × Qb → Q(a+b): the rounding doubling high multiply.
inline int32_t mul(int32_t a, int32_t b) { return saturating_rounding_doubling_high_mul(a, b); }

// 1.0 in Qm (the largest raw value for m = 0, where 1.0 is not representable).
inline int32_t one(int integer_bits) {
  return integer_bits == 0 ? INT32_MAX : static_cast<int32_t>(1u << (31 - integer_bits));
}

// x · 2^exponent: saturating when exponent > 0 (exponent <= 30), rounding half
// away from zero when exponent < 0 (exponent >= -31).
inline int32_t saturating_rounding_multiply_by_pot(int32_t x, int exponent) {
  if (exponent > 0) {
    const int32_t threshold = static_cast<int32_t>((1u << (31 - exponent)) - 1u);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
  }
  if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
  return x;
}

// Reinterprets a Q(src_bits) value as Q(dst_bits).
inline int32_t rescale(int32_t x, int src_bits, int dst_bits) {
  return saturating_rounding_multiply_by_pot(x, src_bits - dst_bits);
}

// (a + b) / 2 rounded half away from zero.
inline int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  return static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// Leading zero bits of x; 32 for x == 0.
inline int count_leading_zeros(uint32_t x) { return x == 0 ? 32 : __builtin_clz(x); }

// exp(a) for a in [-1/4, 0), Q0 in and out: a 4th-order Taylor expansion
// around -1/8.
inline int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t kExpMinusOneEighth = 1895147668;  // round(exp(-1/8) · 2^31)
  const int32_t kOneThird = 715827883;            // round(2^31 / 3)
  const int32_t x = add(a, 1 << 28);              // a + 1/8
  const int32_t x2 = mul(x, x);
  const int32_t x3 = mul(x2, x);
  const int32_t x4 = mul(x2, x2);
  const int32_t x4_over_4 = saturating_rounding_multiply_by_pot(x4, -2);
  const int32_t poly = saturating_rounding_multiply_by_pot(add(mul(add(x4_over_4, x3), kOneThird), x2), -1);
  return add(kExpMinusOneEighth, mul(kExpMinusOneEighth, add(x, poly)));
}

// exp(a) for a <= 0; a in Q(IntegerBits), result in Q0. The argument is split
// into a part in [-1/4, 0) and a sum of powers of two whose exponentials are
// applied as constant multipliers ("barrel shifter").
template <int IntegerBits>
inline int32_t exp_on_negative_values(int32_t a) {
  static_assert(IntegerBits >= 0 && IntegerBits < 31, "bad integer bits");
  constexpr int kFractionalBits = 31 - IntegerBits;
  const int32_t one_quarter = static_cast<int32_t>(1u << (kFractionalBits - 2));
  const int32_t a_mod_quarter_minus_quarter = sub(a & (one_quarter - 1), one_quarter);
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
      rescale(a_mod_quarter_minus_quarter, IntegerBits, 0));
  const int32_t remainder = sub(a_mod_quarter_minus_quarter, a);

  // round(exp(-2^e) · 2^31) for e = -2 .. 4.
  const int32_t kExpOfMinusPot[7] = {1672461947, 1302514674, 790015084, 290630308,
                                     39332535,   720401,     242};
  for (int e = -2; e <= 4; ++e) {
    if (IntegerBits <= e) break;
    const int shift = kFractionalBits + e;  // <= 30 because e < IntegerBits
    if ((remainder & static_cast<int32_t>(1u << shift)) != 0) result = mul(result, kExpOfMinusPot[e + 2]);
  }
  if (IntegerBits > 5) {
    // Below -32 the result rounds to zero.
    const int32_t clamp = -static_cast<int32_t>(1u << (IntegerBits > 5 ? 36 - IntegerBits : 0));
    if (a < clamp) result = 0;
  }
  return a == 0 ? INT32_MAX : result;
}

// Newton-Raphson iterations for 1 / (2 · half_denominator), result in Q2.
inline int32_t reciprocal_newton_raphson_q2(int32_t half_denominator) {
  const int32_t k48Over17 = 1515870810;      // 48/17 in Q2
  const int32_t kNeg32Over17 = -1010580540;  // -32/17 in Q2
  const int32_t kOneQ2 = one(2);
  int32_t x = add(k48Over17, mul(half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t one_minus_half_denominator_times_x = sub(kOneQ2, mul(half_denominator, x));
    x = add(x, rescale(mul(x, one_minus_half_denominator_times_x), 4, 2));
  }
  return x;
}

// 1 / (1 + a) for a in [0, 1), Q0 in and out.
inline int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = rounding_half_sum(a, INT32_MAX);
  // x is 1/half_denominator in Q2, i.e. 2/(1+a): halve it by reading it as Q1.
  return rescale(reciprocal_newton_raphson_q2(half_denominator), 1, 0);
}

// (1 - a) / (1 + a) for a in [0, 1), Q0 in and out.
inline int32_t one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = rounding_half_sum(a, INT32_MAX);
  return rescale(sub(reciprocal_newton_raphson_q2(half_denominator), one(2)), 2, 0);
}

// tanh(a), a in Q(IntegerBits), result in Q0: (1 - e^-2|a|) / (1 + e^-2|a|).
template <int IntegerBits>
inline int32_t tanh(int32_t a) {
  if (a == 0) return 0;
  const bool negative = a < 0;
  const int32_t n = negative ? a : neg(a);  // -|a|, read as Q(IntegerBits+1): 2·(-|a|)
  const int32_t t = one_minus_x_over_one_plus_x_for_x_in_0_1(exp_on_negative_values<IntegerBits + 1>(n));
  return negative ? neg(t) : t;
}

// logistic(a) = 1 / (1 + e^-a), a in Q(IntegerBits), result in Q0.
template <int IntegerBits>
inline int32_t logistic(int32_t a) {
  if (a == 0) return 1 << 30;  // 0.5
  const bool positive = a > 0;
  const int32_t minus_abs = positive ? neg(a) : a;
  const int32_t if_positive = one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values<IntegerBits>(minus_abs));
  return positive ? if_positive : sub(INT32_MAX, if_positive);
}

// 1/x for a positive Q(x_integer_bits) value x, as a Q0 mantissa in [0.5, 1]
// and the power of two it is scaled by (TFLite GetReciprocal):
// 1/x ≈ result · 2^-num_bits_over_unit.
inline int32_t reciprocal(int32_t x, int x_integer_bits, int* num_bits_over_unit) {
  const int headroom_plus_one = count_leading_zeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_bits - headroom_plus_one;
  const uint32_t shifted = headroom_plus_one < 32 ? static_cast<uint32_t>(x) << headroom_plus_one : 0u;
  const int32_t shifted_minus_one = static_cast<int32_t>(shifted - (1u << 31));
  return one_over_one_plus_x_for_x_in_0_1(shifted_minus_one);
}

}  // namespace kiln::kernels::fixed_point
