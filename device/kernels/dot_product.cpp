#include "dot_product.h"

namespace kiln::kernels::detail {

uint32_t dot_int8(const int8_t* x, const int8_t* w, int32_t n, int32_t x_offset) {
  uint32_t sum = 0;
  for (; n >= 4; n -= 4, x += 4, w += 4) {
    sum += static_cast<uint32_t>(w[0] * (x[0] + x_offset));
    sum += static_cast<uint32_t>(w[1] * (x[1] + x_offset));
    sum += static_cast<uint32_t>(w[2] * (x[2] + x_offset));
    sum += static_cast<uint32_t>(w[3] * (x[3] + x_offset));
  }
  for (; n > 0; --n, ++x, ++w) sum += static_cast<uint32_t>(w[0] * (x[0] + x_offset));
  return sum;
}

}  // namespace kiln::kernels::detail
