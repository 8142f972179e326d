// PAD / PADV2: surround a tensor with a constant, for any element size
// (TFLite Micro's reference_ops::Pad; byte-for-byte the same result).
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kiln::kernels {

constexpr uint32_t kMaxPadRank = 6;

struct PadGeometry {
  uint32_t rank = 0;
  uint32_t element_size = 1;  // bytes per element
  int32_t in_dims[kMaxPadRank] = {};
  int32_t before[kMaxPadRank] = {};  // elements added before index 0 of each axis
  int32_t after[kMaxPadRank] = {};   // elements added after the last index
};

// Output extent of axis i: before + in_dims + after. `pad_value` points to one
// element of element_size bytes. The caller has checked every count is >= 0.
void pad(const PadGeometry& g, const void* input, const void* pad_value, void* output);

}  // namespace kiln::kernels
