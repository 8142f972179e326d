// CONCATENATION: join tensors along one axis, any element type (TFLite
// Micro's reference_ops::Concatenation; a pure copy, no requantization).
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kiln::kernels {

// Viewing every tensor as [outer, axis * inner] rows of bytes, input k
// contributes `chunk_bytes` = its axis extent · inner · element size to each
// of the `outer` output rows, which are `row_bytes` long. Copies input k's
// chunks to output + `offset_bytes` (the sum of the earlier inputs' chunks).
void concat_input(const void* input, size_t chunk_bytes, size_t outer, size_t row_bytes,
                  size_t offset_bytes, void* output);

}  // namespace kiln::kernels
