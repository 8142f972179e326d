#include "kiln/kernels/activation_input.h"

#include <math.h>

namespace kiln::kernels {

namespace {
constexpr int kInputIntegerBits = 4;  // Q4.27 input to the fixed-point functions
}  // namespace

bool activation_input_params(float input_scale, int32_t input_zero_point, ActivationInputParams* params) {
  if (!(input_scale > 0.0f) || !isfinite(input_scale)) return false;
  const double real = static_cast<double>(input_scale) * static_cast<double>(1 << (31 - kInputIntegerBits));
  int shift = 0;
  const double q = frexp(real, &shift);
  // Rounded half away from zero, without TFLite's fix-up for q → 1.0: a float
  // scale has a 24-bit mantissa, so q · 2^31 stays below 2^31.
  const int64_t multiplier = static_cast<int64_t>(round(q * static_cast<double>(INT64_C(1) << 31)));
  if (shift < -31 || multiplier > INT32_MAX) return false;
  // floor((2^4 - 1) · 2^(31-4) / 2^shift): the largest |input| whose rescaled
  // value fits Q4.27 (CalculateInputRadius).
  const double radius = floor(ldexp(static_cast<double>((1 << kInputIntegerBits) - 1), 31 - kInputIntegerBits - shift));
  params->input_zero_point = input_zero_point;
  params->input_multiplier = static_cast<int32_t>(multiplier);
  params->input_left_shift = shift;
  params->input_range_radius = radius > static_cast<double>(INT32_MAX) ? INT32_MAX : static_cast<int32_t>(radius);
  return true;
}

}  // namespace kiln::kernels
