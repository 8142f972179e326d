// STRIDED_SLICE for any element size, with TFLite's begin/end/shrink-axis
// mask and negative-index semantics (strided_slice_logic.h: StridedSlice-
// StartForAxis / StridedSliceEndForAxis; reference_ops::StridedSlice).
// Ellipsis and new-axis masks are not handled here (TFLite Micro ignores
// them); callers reject them.
#pragma once
#include <stdint.h>

namespace kiln::kernels {

constexpr uint32_t kMaxSliceRank = 6;

// The slice as the model states it, one entry per input axis.
struct StridedSliceSpec {
  uint32_t rank = 0;
  int32_t begin[kMaxSliceRank] = {};
  int32_t end[kMaxSliceRank] = {};
  int32_t strides[kMaxSliceRank] = {};
  uint32_t begin_mask = 0;
  uint32_t end_mask = 0;
  uint32_t shrink_axis_mask = 0;
  bool offset = false;  // end is relative to begin
};

// The resolved slice: output axis i takes count[i] elements of input axis i,
// starting at start[i], every stride[i]-th (shrunk axes have count <= 1).
struct StridedSlicePlan {
  uint32_t rank = 0;
  uint32_t element_size = 1;
  int32_t in_dims[kMaxSliceRank] = {};
  int32_t start[kMaxSliceRank] = {};
  int32_t stride[kMaxSliceRank] = {};
  int32_t count[kMaxSliceRank] = {};
  uint32_t output_count = 0;  // product of count
};

enum class SliceError : uint8_t { kNone, kRank, kZeroStride, kShrinkOutOfRange };

// Resolves begin/end per axis as TFLite does. A shrunk axis must select one
// existing element (kShrinkOutOfRange otherwise: TFLite would write nothing).
SliceError plan_strided_slice(const StridedSliceSpec& spec, const int32_t* in_dims,
                              uint32_t element_size, StridedSlicePlan* plan);

// Copies the selected elements in row-major output order.
void strided_slice(const StridedSlicePlan& plan, const void* input, void* output);

}  // namespace kiln::kernels
