#include "kiln/kernels/concatenation.h"

#include <string.h>

namespace kiln::kernels {

void concat_input(const void* input, size_t chunk_bytes, size_t outer, size_t row_bytes,
                  size_t offset_bytes, void* output) {
  if (chunk_bytes == 0) return;
  const uint8_t* in = static_cast<const uint8_t*>(input);
  uint8_t* out = static_cast<uint8_t*>(output) + offset_bytes;
  for (size_t o = 0; o < outer; ++o) {
    memcpy(out, in, chunk_bytes);
    in += chunk_bytes;
    out += row_bytes;
  }
}

}  // namespace kiln::kernels
