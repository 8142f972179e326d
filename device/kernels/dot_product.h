// Inner products shared by the conv-family kernels (private to kernels/).
//
// Integer sums are exact whatever the order (they wrap like TFLite's int32
// arithmetic), so these unroll by four; float callers keep TFLite's order.
#pragma once
#include <stdint.h>

namespace kiln::kernels::detail {

// Σ w[i] · (x[i] + x_offset), wrapping; |w · (x + offset)| <= 128 · 255.
// Out of line on purpose: inlined into the conv loop nests, GCC spills the
// unrolled body to the stack on rv32 (35 instead of ~24 instructions per 4
// MACs); a call costs a few instructions per row of taps.
uint32_t dot_int8(const int8_t* x, const int8_t* w, int32_t n, int32_t x_offset);

// Σ w[i] · x[i] with int16 x: blocks of 256 products fit int32 (|w·x| < 2^22).
inline int64_t dot_16x8(const int16_t* x, const int8_t* w, int32_t n) {
  int64_t total = 0;
  while (n > 0) {
    const int32_t block = n < 256 ? n : 256;
    int32_t sum = 0;
    for (int32_t i = 0; i < block; ++i) sum += static_cast<int32_t>(w[i]) * static_cast<int32_t>(x[i]);
    total += sum;
    x += block;
    w += block;
    n -= block;
  }
  return total;
}

// Σ w[i] · x[i] in index order (TFLite's float summation order).
inline float dot_float(const float* x, const float* w, int32_t n, float total) {
  for (int32_t i = 0; i < n; ++i) total += x[i] * w[i];
  return total;
}

}  // namespace kiln::kernels::detail
