#include "kiln/kernels/strided_slice.h"

#include <string.h>

namespace kiln::kernels {

namespace {

int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

bool has_bit(uint32_t mask, uint32_t axis) { return (mask >> axis) & 1u; }

// TFLite StridedSliceStartForAxis: the mask wins over the clamped index.
int64_t start_for_axis(const StridedSliceSpec& s, int64_t size, uint32_t axis) {
  const int32_t stride = s.strides[axis];
  int64_t start = s.begin[axis];
  if (start < 0) start += size;
  start = stride > 0 ? clamp64(start, 0, size) : clamp64(start, -1, size - 1);
  if (has_bit(s.begin_mask, axis)) start = stride > 0 ? 0 : size - 1;
  return start;
}

// TFLite StridedSliceEndForAxis (one past the last element, C style).
int64_t end_for_axis(const StridedSliceSpec& s, int64_t size, uint32_t axis, int64_t start) {
  if (has_bit(s.shrink_axis_mask, axis)) return start >= size ? start : start + 1;
  const int32_t stride = s.strides[axis];
  int64_t end = s.end[axis];
  if (s.offset) end += start;
  if (end < 0) end += size;
  end = stride > 0 ? clamp64(end, 0, size) : clamp64(end, -1, size - 1);
  if (has_bit(s.end_mask, axis)) end = stride > 0 ? size : -1;
  return end;
}

int64_t element_count(int64_t start, int64_t end, int64_t stride) {
  if (stride > 0) return end > start ? (end - start + stride - 1) / stride : 0;
  return start > end ? (start - end - stride - 1) / -stride : 0;
}

void copy_strided(const uint8_t* in, int32_t step, int32_t n, uint32_t size, uint8_t* out) {
  if (step == 1) {
    memcpy(out, in, static_cast<size_t>(n) * size);
    return;
  }
  const int32_t step_bytes = step * static_cast<int32_t>(size);
  for (int32_t i = 0; i < n; ++i)
    memcpy(out + static_cast<size_t>(i) * size, in + i * step_bytes, size);
}

}  // namespace

SliceError plan_strided_slice(const StridedSliceSpec& spec, const int32_t* in_dims,
                              uint32_t element_size, StridedSlicePlan* plan) {
  if (spec.rank > kMaxSliceRank) return SliceError::kRank;
  StridedSlicePlan p;
  p.rank = spec.rank;
  p.element_size = element_size;
  uint64_t total = 1, in_total = 1;
  for (uint32_t a = 0; a < spec.rank; ++a) {
    const int64_t size = in_dims[a];
    if (spec.strides[a] == 0) return SliceError::kZeroStride;
    const int64_t start = start_for_axis(spec, size, a);
    const int64_t end = end_for_axis(spec, size, a, start);
    const int64_t count = element_count(start, end, spec.strides[a]);
    if (has_bit(spec.shrink_axis_mask, a) && count != 1) return SliceError::kShrinkOutOfRange;
    p.in_dims[a] = in_dims[a];
    p.start[a] = static_cast<int32_t>(count > 0 ? start : 0);
    p.stride[a] = spec.strides[a];
    p.count[a] = static_cast<int32_t>(count);
    total *= static_cast<uint64_t>(count);
    in_total *= static_cast<uint64_t>(size);
    if (in_total > INT32_MAX) return SliceError::kRank;
  }
  p.output_count = static_cast<uint32_t>(total);
  *plan = p;
  return SliceError::kNone;
}

void strided_slice(const StridedSlicePlan& p, const void* input, void* output) {
  const uint8_t* in = static_cast<const uint8_t*>(input);
  uint8_t* out = static_cast<uint8_t*>(output);
  const uint32_t size = p.element_size;
  if (p.output_count == 0) return;
  if (p.rank == 0) {
    memcpy(out, in, size);
    return;
  }
  // Element offsets: where the slice starts and how far one step of each axis moves.
  int32_t step[kMaxSliceRank];
  int32_t base = 0;
  int32_t in_stride = 1;
  for (uint32_t a = p.rank; a-- > 0;) {
    base += p.start[a] * in_stride;
    step[a] = p.stride[a] * in_stride;
    in_stride *= p.in_dims[a];
  }
  const uint32_t last = p.rank - 1;
  int32_t idx[kMaxSliceRank] = {};
  int32_t offset = base;
  for (;;) {
    copy_strided(in + static_cast<int64_t>(offset) * size, step[last], p.count[last], size, out);
    out += static_cast<size_t>(p.count[last]) * size;
    int32_t d = static_cast<int32_t>(last) - 1;
    for (; d >= 0; --d) {
      offset += step[d];
      if (++idx[d] < p.count[d]) break;
      offset -= step[d] * p.count[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

}  // namespace kiln::kernels
