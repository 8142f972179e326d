// Inner products shared by the conv-family kernels (private to kernels/).
//
// Integer sums are exact whatever the order, so these may block the loop;
// float callers keep TFLite's order themselves.
#pragma once
#include <stdint.h>

namespace kiln::kernels::detail {

// Σ w[i]·(x[i] + x_offset), wrapping modulo 2^32 as TFLite's int32
// accumulator does in practice (each term fits easily: |term| <= 128·255).
inline uint32_t dot_int8(const int8_t* x, const int8_t* w, int32_t n, int32_t x_offset) {
  uint32_t sum = 0;
  for (int32_t i = 0; i < n; ++i) {
    sum += static_cast<uint32_t>(static_cast<int32_t>(w[i]) * (static_cast<int32_t>(x[i]) + x_offset));
  }
  return sum;
}

// Σ w[i]·x[i] for int16 x, int8 w. Each term is below 2^22, so blocks of
// 256 terms sum in 32 bits; only the block totals need 64-bit adds (rv32
// has no 64-bit add instruction).
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

}  // namespace kiln::kernels::detail
