#include "kiln/kernels/pad.h"

#include <string.h>

namespace kiln::kernels {

namespace {

struct PadWalk {
  const PadGeometry& g;
  const uint8_t* value;
  size_t out_block[kMaxPadRank];  // elements in one index step of each output axis
  const uint8_t* in;
  uint8_t* out;
};

void fill(PadWalk& w, size_t count) {
  const uint32_t e = w.g.element_size;
  if (count == 0) return;
  if (e == 1) {
    memset(w.out, w.value[0], count);
  } else {
    for (size_t i = 0; i < count; ++i) memcpy(w.out + i * e, w.value, e);
  }
  w.out += count * e;
}

// Writes the whole output slab of axis k (and everything inside it).
void pad_axis(PadWalk& w, uint32_t k) {
  const PadGeometry& g = w.g;
  fill(w, static_cast<size_t>(g.before[k]) * w.out_block[k]);
  if (k + 1 == g.rank) {
    const size_t bytes = static_cast<size_t>(g.in_dims[k]) * g.element_size;
    if (bytes > 0) memcpy(w.out, w.in, bytes);
    w.in += bytes;
    w.out += bytes;
  } else {
    for (int32_t i = 0; i < g.in_dims[k]; ++i) pad_axis(w, k + 1);
  }
  fill(w, static_cast<size_t>(g.after[k]) * w.out_block[k]);
}

}  // namespace

void pad(const PadGeometry& g, const void* input, const void* pad_value, void* output) {
  PadWalk w{g,
            static_cast<const uint8_t*>(pad_value),
            {},
            static_cast<const uint8_t*>(input),
            static_cast<uint8_t*>(output)};
  if (g.rank == 0) {
    memcpy(w.out, w.in, g.element_size);
    return;
  }
  size_t block = 1;
  for (uint32_t k = g.rank; k-- > 0;) {
    w.out_block[k] = block;
    block *= static_cast<size_t>(g.before[k] + g.in_dims[k] + g.after[k]);
  }
  pad_axis(w, 0);
}

}  // namespace kiln::kernels
