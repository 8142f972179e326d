// Fixed-point requantization, bit-exact with TFLite Micro's reference kernels
// (gemmlowp-style "double rounding"; see docs/int8-arithmetic.md).
// Hot-path helpers are inline; the double-based multiplier derivation runs
// only at prepare time, never at invoke time.
#pragma once
#include <stdint.h>

namespace kiln::kernels {

// real_multiplier ≈ multiplier · 2^(shift − 31); shift > 0 means a left shift.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

// TFLite QuantizeMultiplier (frexp, round to 31 bits, fix-ups). Prepare only.
QuantizedMultiplier quantize_multiplier(double real_multiplier);

inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (INT64_C(1) << 31));
}

// Rounds half away from zero. exponent in [0, 31].
inline int32_t rounding_divide_by_pot(int32_t x, int32_t exponent) {
  const int32_t mask = static_cast<int32_t>((INT64_C(1) << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// TFLite MultiplyByQuantizedMultiplier (int32 accumulator, double rounding).
// shift must be in [-31, 30] (prepare checks it): a larger left shift is
// undefined in C, a larger right shift leaves RoundingDivideByPOT's domain.
inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  // The left shift is done in 32-bit wrap-around arithmetic, as TFLite does.
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

// TFLite MultiplyByQuantizedMultiplier for int64 accumulators (16x8 ops):
// 16-bit reduced multiplier, single rounding. Domain (prepare checks it):
// multiplier >= 0, shift in [-31, 14] so the rounding shift is at least 1, and
// |x| < 2^47 so x * reduced cannot overflow.
inline int32_t multiply_by_quantized_multiplier(int64_t x, int32_t multiplier, int32_t shift) {
  const int32_t reduced = (multiplier < 0x7FFF0000) ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int32_t total_shift = 15 - shift;
  const int64_t round = INT64_C(1) << (total_shift - 1);
  // Truncating cast as in TFLite; |x| < 2^47 keeps the result in range.
  return static_cast<int32_t>((x * static_cast<int64_t>(reduced) + round) >> total_shift);
}

// TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp (used by ADD/SUB).
inline int32_t multiply_by_quantized_multiplier_smaller_than_one(int32_t x, int32_t multiplier,
                                                                 int32_t shift) {
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(x, multiplier), -shift);
}

inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

// a + b wrapping modulo 2^32: what TFLite's int32 accumulators do in practice
// on overflow, without the undefined behaviour.
inline int32_t wrapping_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

}  // namespace kiln::kernels
