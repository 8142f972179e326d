// STRIDED_SLICE: begin/end masks, negative indices and strides, clamping,
// shrink-axis and offset, checked element by element.
#include "kiln/kernels/strided_slice.h"

#include <gtest/gtest.h>

#include <vector>

namespace kiln::kernels {
namespace {

struct Slice {
  std::vector<int32_t> begin, end, strides;
  uint32_t begin_mask = 0, end_mask = 0, shrink = 0;
  bool offset = false;
};

StridedSliceSpec spec_of(const Slice& s) {
  StridedSliceSpec spec;
  spec.rank = static_cast<uint32_t>(s.begin.size());
  for (uint32_t i = 0; i < spec.rank; ++i) {
    spec.begin[i] = s.begin[i];
    spec.end[i] = s.end[i];
    spec.strides[i] = s.strides[i];
  }
  spec.begin_mask = s.begin_mask;
  spec.end_mask = s.end_mask;
  spec.shrink_axis_mask = s.shrink;
  spec.offset = s.offset;
  return spec;
}

// Runs the slice on 0, 1, 2, ... (int16) and returns the selected values.
std::vector<int16_t> run(std::vector<int32_t> dims, const Slice& s) {
  StridedSlicePlan plan;
  EXPECT_EQ(plan_strided_slice(spec_of(s), dims.data(), 2, &plan), SliceError::kNone);
  uint32_t n = 1;
  for (int32_t d : dims) n *= static_cast<uint32_t>(d);
  std::vector<int16_t> in(n);
  for (uint32_t i = 0; i < n; ++i) in[i] = static_cast<int16_t>(i);
  std::vector<int16_t> out(plan.output_count);
  strided_slice(plan, in.data(), out.data());
  return out;
}

TEST(StridedSlice, SeanetTailOfAxisOne) {
  // x[:, -2:, :, 0:2] on [1, 4, 3, 2] with begin_mask 13, end_mask 15.
  const std::vector<int16_t> out =
      run({1, 4, 3, 2}, {{0, -2, 0, 0}, {0, 0, 0, 2}, {1, 1, 1, 1}, 13, 15});
  ASSERT_EQ(out.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(out[i], 12 + i) << i;
}

TEST(StridedSlice, NegativeStrides) {
  EXPECT_EQ(run({5}, {{0}, {0}, {-1}, 1, 1}), (std::vector<int16_t>{4, 3, 2, 1, 0}));
  EXPECT_EQ(run({5}, {{3}, {0}, {-2}}), (std::vector<int16_t>{3, 1}));
  EXPECT_EQ(run({5}, {{-1}, {-6}, {-3}}), (std::vector<int16_t>{4, 1}));
}

TEST(StridedSlice, ClampsOutOfRangeIndices) {
  EXPECT_EQ(run({4}, {{-100}, {100}, {1}}), (std::vector<int16_t>{0, 1, 2, 3}));
  EXPECT_EQ(run({4}, {{3}, {1}, {1}}), (std::vector<int16_t>{}));
  EXPECT_EQ(run({4}, {{100}, {-100}, {-1}}), (std::vector<int16_t>{3, 2, 1, 0}));
}

TEST(StridedSlice, InnerStrideAndTwoAxes) {
  // [3, 4]: rows 0 and 2, columns 1 and 3.
  EXPECT_EQ(run({3, 4}, {{0, 1}, {3, 4}, {2, 2}}), (std::vector<int16_t>{1, 3, 9, 11}));
}

TEST(StridedSlice, ShrinkAxis) {
  EXPECT_EQ(run({3, 4}, {{1, 0}, {2, 0}, {1, 1}, 0, 2, 1}), (std::vector<int16_t>{4, 5, 6, 7}));
  // Negative begin with an end that would be empty: shrink uses begin + 1.
  EXPECT_EQ(run({3, 4}, {{-1, 0}, {0, 0}, {1, 1}, 0, 2, 1}), (std::vector<int16_t>{8, 9, 10, 11}));
  StridedSlicePlan plan;
  const int32_t dims[] = {3, 4};
  const StridedSliceSpec spec = spec_of({{1, 2}, {2, 3}, {1, 1}, 0, 0, 3});
  ASSERT_EQ(plan_strided_slice(spec, dims, 2, &plan), SliceError::kNone);
  EXPECT_EQ(plan.output_count, 1u);
}

TEST(StridedSlice, Offset) {
  Slice s{{1}, {2}, {1}};
  s.offset = true;  // end = begin + 2
  EXPECT_EQ(run({5}, s), (std::vector<int16_t>{1, 2}));
}

TEST(StridedSlice, Errors) {
  StridedSlicePlan plan;
  const int32_t dims[] = {3};
  EXPECT_EQ(plan_strided_slice(spec_of({{0}, {3}, {0}}), dims, 1, &plan), SliceError::kZeroStride);
  // Shrinking past the end, or with a negative stride, would select nothing.
  EXPECT_EQ(plan_strided_slice(spec_of({{3}, {4}, {1}, 0, 0, 1}), dims, 1, &plan),
            SliceError::kShrinkOutOfRange);
  EXPECT_EQ(plan_strided_slice(spec_of({{1}, {0}, {-1}, 0, 0, 1}), dims, 1, &plan),
            SliceError::kShrinkOutOfRange);
}

TEST(StridedSlice, ByteAndWordElements) {
  StridedSlicePlan plan;
  const int32_t dims[] = {2, 3};
  ASSERT_EQ(plan_strided_slice(spec_of({{0, 2}, {2, -4}, {1, -1}}), dims, 4, &plan),
            SliceError::kNone);
  const float in[] = {0, 1, 2, 3, 4, 5};
  float out[6] = {};
  ASSERT_EQ(plan.output_count, 6u);
  strided_slice(plan, in, out);
  const float want[] = {2, 1, 0, 5, 4, 3};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]) << i;
  ASSERT_EQ(plan_strided_slice(spec_of({{1}, {3}, {1}}), dims + 1, 1, &plan), SliceError::kNone);
  const int8_t bytes[] = {-1, -2, -3};
  int8_t bout[2];
  strided_slice(plan, bytes, bout);
  EXPECT_EQ(bout[0], -2);
  EXPECT_EQ(bout[1], -3);
}

}  // namespace
}  // namespace kiln::kernels
