// PAD: hand-built outputs for element sizes 1, 2 and 4, leading
// and trailing padding on any axis, scalars and empty inputs.
#include "kiln/kernels/pad.h"

#include <gtest/gtest.h>

#include <vector>

namespace kiln::kernels {
namespace {

PadGeometry geometry(std::vector<int32_t> dims, std::vector<int32_t> before,
                     std::vector<int32_t> after, uint32_t element_size) {
  PadGeometry g;
  g.rank = static_cast<uint32_t>(dims.size());
  g.element_size = element_size;
  for (uint32_t i = 0; i < g.rank; ++i) {
    g.in_dims[i] = dims[i];
    g.before[i] = before[i];
    g.after[i] = after[i];
  }
  return g;
}

TEST(Pad, Int8TwoAxes) {
  const PadGeometry g = geometry({2, 2}, {1, 0}, {0, 2}, 1);
  const int8_t in[] = {1, 2, 3, 4};
  const int8_t value = -7;
  int8_t out[12];
  pad(g, in, &value, out);
  const int8_t want[] = {-7, -7, -7, -7,  //
                         1,  2,  -7, -7,  //
                         3,  4,  -7, -7};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(Pad, Int16WidthLikeSeanet) {
  // [1, 1, 3, 2] padded by 1 on both sides of W.
  const PadGeometry g = geometry({1, 1, 3, 2}, {0, 0, 1, 0}, {0, 0, 1, 0}, 2);
  const int16_t in[] = {1, -2, 3, -4, 5, -32768};
  const int16_t zero = 0;
  int16_t out[10];
  pad(g, in, &zero, out);
  const int16_t want[] = {0, 0, 1, -2, 3, -4, 5, -32768, 0, 0};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(Pad, FloatValueOnEveryAxisOfRank3) {
  const PadGeometry g = geometry({1, 1, 2}, {1, 0, 1}, {0, 1, 0}, 4);
  const float in[] = {1.5f, 2.5f};
  const float value = -1.0f;
  float out[2 * 2 * 3];
  pad(g, in, &value, out);
  const float want[] = {-1, -1,   -1,   -1, -1, -1,  // whole leading slab of axis 0
                        -1, 1.5f, 2.5f, -1, -1, -1};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(Pad, ScalarAndEmpty) {
  const PadGeometry scalar = geometry({}, {}, {}, 4);
  const int32_t in = 42, value = 0;
  int32_t out = 0;
  pad(scalar, &in, &value, &out);
  EXPECT_EQ(out, 42);
  const PadGeometry empty = geometry({0, 2}, {1, 0}, {1, 1}, 4);
  const int32_t fill = -9;
  int32_t out2[6] = {};
  pad(empty, nullptr, &fill, out2);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out2[i], -9) << i;
}

}  // namespace
}  // namespace kiln::kernels
