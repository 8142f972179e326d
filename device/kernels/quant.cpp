#include "kiln/kernels/quant.h"

#include <math.h>

namespace kiln::kernels {

QuantizedMultiplier quantize_multiplier(double real_multiplier) {
  QuantizedMultiplier out;
  // Zero, NaN and infinities have no fixed-point form; callers validate scales
  // first, so this only keeps the arithmetic below defined.
  if (real_multiplier == 0.0 || !isfinite(real_multiplier)) return out;

  int exponent = 0;
  const double fraction = frexp(real_multiplier, &exponent);  // |fraction| in [0.5, 1)
  // round() is half away from zero, as TfLiteRound.
  int64_t q_fixed = static_cast<int64_t>(round(fraction * static_cast<double>(INT64_C(1) << 31)));
  if (q_fixed == (INT64_C(1) << 31)) {  // fraction rounded up to 1.0
    q_fixed /= 2;
    ++exponent;
  }
  // Below 2^-31 every product shifts out to zero: flush, as TFLite does,
  // rather than shift by more than 31.
  if (exponent < -31) {
    exponent = 0;
    q_fixed = 0;
  }
  out.multiplier = static_cast<int32_t>(q_fixed);
  out.shift = exponent;
  return out;
}

}  // namespace kiln::kernels
