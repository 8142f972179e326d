// AVERAGE_POOL_2D / MAX_POOL_2D against hand-computed windows: rounding
// ties both ways, SAME padding (clipped windows), batches and channels,
// fused-activation clamps.
#include "kiln/kernels/pooling.h"

#include <gtest/gtest.h>

namespace kiln::kernels {
namespace {

PoolGeometry geometry(int32_t batches, int32_t h, int32_t w, int32_t c, int32_t out_h,
                      int32_t out_w, int32_t filter, int32_t stride, int32_t pad) {
  PoolGeometry g;
  g.batches = batches;
  g.in_h = h;
  g.in_w = w;
  g.depth = c;
  g.out_h = out_h;
  g.out_w = out_w;
  g.filter_h = g.filter_w = filter;
  g.stride_h = g.stride_w = stride;
  g.pad_h = g.pad_w = pad;
  return g;
}

TEST(AveragePoolInt8, RoundsHalfAwayFromZero) {
  const PoolGeometry g = geometry(1, 4, 4, 1, 2, 2, 2, 2, 0);
  const int8_t in[] = {1,  2,  3, 4,  //
                       5,  6,  7, 9,  //
                       -1, -2, 0, 0,  //
                       -3, -4, 1, -2};
  int8_t out[4];
  average_pool_int8(g, -128, 127, in, out);
  // 14/4 = 3.5 -> 4, 23/4 = 5.75 -> 6, -10/4 = -2.5 -> -3, -1/4 -> 0.
  EXPECT_EQ(out[0], 4);
  EXPECT_EQ(out[1], 6);
  EXPECT_EQ(out[2], -3);
  EXPECT_EQ(out[3], 0);
}

TEST(AveragePoolInt8, SamePaddingDividesByTapsInside) {
  const PoolGeometry g = geometry(1, 3, 3, 1, 3, 3, 3, 1, 1);
  const int8_t in[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  int8_t out[9];
  average_pool_int8(g, -128, 127, in, out);
  // Corners average 4 taps, edges 6, the centre 9.
  const int8_t want[] = {3, 4, 4, 5, 5, 6, 6, 7, 7};  // 3.5, 4.5, 5.5, 6.5 round up
  for (int i = 0; i < 9; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(AveragePoolInt8, FusedActivationClamps) {
  const PoolGeometry g = geometry(1, 2, 2, 1, 1, 1, 2, 2, 0);
  const int8_t in[] = {100, 100, 100, 101};
  int8_t out[1];
  average_pool_int8(g, -5, 50, in, out);
  EXPECT_EQ(out[0], 50);
  const int8_t neg[] = {-100, -100, -100, -100};
  average_pool_int8(g, -5, 50, neg, out);
  EXPECT_EQ(out[0], -5);
}

TEST(AveragePoolInt16, LargeValues) {
  const PoolGeometry g = geometry(1, 2, 2, 1, 1, 1, 2, 1, 0);
  const int16_t in[] = {30000, 30000, 30001, 30001};
  int16_t out[1];
  average_pool_int16(g, INT16_MIN, INT16_MAX, in, out);
  EXPECT_EQ(out[0], 30001);  // 30000.5 -> 30001
  const int16_t neg[] = {-32768, -32768, -32767, -32768};
  average_pool_int16(g, INT16_MIN, INT16_MAX, neg, out);
  EXPECT_EQ(out[0], -32768);  // -32767.75 -> -32768
}

TEST(AveragePoolFloat, ClippedWindows) {
  const PoolGeometry g = geometry(1, 1, 3, 1, 1, 2, 2, 2, 0);  // width 3, stride 2: 2 windows
  PoolGeometry same = g;
  same.filter_h = 1;
  const float in[] = {1.0f, 2.0f, 4.0f};
  float out[2];
  average_pool_float(same, -100.0f, 100.0f, in, out);
  EXPECT_EQ(out[0], 1.5f);
  EXPECT_EQ(out[1], 4.0f);  // second window has one tap inside the image
  average_pool_float(same, 0.0f, 2.0f, in, out);
  EXPECT_EQ(out[0], 1.5f);
  EXPECT_EQ(out[1], 2.0f);
}

TEST(MaxPoolInt8, BatchesAndChannels) {
  // [2, 2, 2, 2] -> [2, 1, 1, 2]: per batch and channel maximum.
  const PoolGeometry g = geometry(2, 2, 2, 2, 1, 1, 2, 2, 0);
  const int8_t in[] = {-128, 5,  -100, -3, -90, 7,  -127, 6,  // batch 0 (c0, c1 interleaved)
                       10,   -1, 11,   -2, 12,  -3, 13,   -4};
  int8_t out[4];
  max_pool_int8(g, -128, 127, in, out);
  EXPECT_EQ(out[0], -90);
  EXPECT_EQ(out[1], 7);
  EXPECT_EQ(out[2], 13);
  EXPECT_EQ(out[3], -1);
  max_pool_int8(g, -95, 10, in, out);  // activation clamp
  EXPECT_EQ(out[0], -90);
  EXPECT_EQ(out[1], 7);
  EXPECT_EQ(out[2], 10);
  EXPECT_EQ(out[3], -1);
}

TEST(MaxPoolInt16, SamePadding) {
  const PoolGeometry g = geometry(1, 3, 3, 1, 2, 2, 2, 2, 0);  // SAME: out 2x2, pad 0
  const int16_t in[] = {-5, -6, -7, -8, -9, -10, -11, -12, -32768};
  int16_t out[4];
  max_pool_int16(g, INT16_MIN, INT16_MAX, in, out);
  EXPECT_EQ(out[0], -5);
  EXPECT_EQ(out[1], -7);
  EXPECT_EQ(out[2], -11);
  EXPECT_EQ(out[3], -32768);
}

TEST(MaxPoolFloat, AllNegative) {
  const PoolGeometry g = geometry(1, 2, 2, 1, 1, 1, 2, 2, 0);
  const float in[] = {-3.5f, -1.25f, -2.0f, -7.0f};
  float out[1];
  max_pool_float(g, -3.4e38f, 3.4e38f, in, out);
  EXPECT_EQ(out[0], -1.25f);
  max_pool_float(g, 0.0f, 6.0f, in, out);
  EXPECT_EQ(out[0], 0.0f);
}

}  // namespace
}  // namespace kiln::kernels
