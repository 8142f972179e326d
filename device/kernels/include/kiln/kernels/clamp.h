// Float activation clamp shared by every float kernel.
#pragma once

namespace kiln::kernels {

// TFLite's ActivationFunctionWithMinMax for floats: min(max(x, lo), hi) with
// std::max/std::min semantics (a NaN input stays NaN).
inline float clamp_float(float x, float lo, float hi) {
  const float y = x < lo ? lo : x;
  return hi < y ? hi : y;
}

}  // namespace kiln::kernels
