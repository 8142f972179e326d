// CONCATENATION: copies of each input's chunks into the output rows.
#include "kiln/kernels/concatenation.h"

#include <gtest/gtest.h>

namespace kiln::kernels {
namespace {

TEST(Concatenation, InnerAxisInt16) {
  // [2, 2] ++ [2, 1] along axis 1 -> [2, 3].
  const int16_t a[] = {1, 2, 3, 4};
  const int16_t b[] = {5, 6};
  int16_t out[6] = {};
  const size_t row = 3 * sizeof(int16_t);
  concat_input(a, 2 * sizeof(int16_t), 2, row, 0, out);
  concat_input(b, 1 * sizeof(int16_t), 2, row, 2 * sizeof(int16_t), out);
  const int16_t want[] = {1, 2, 5, 3, 4, 6};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(Concatenation, OuterAxisAndEmptyInput) {
  // [1, 2] ++ [0, 2] ++ [2, 2] along axis 0: a single outer row.
  const float a[] = {1, 2};
  const float c[] = {3, 4, 5, 6};
  float out[6] = {};
  concat_input(a, 2 * sizeof(float), 1, 6 * sizeof(float), 0, out);
  concat_input(nullptr, 0, 1, 6 * sizeof(float), 2 * sizeof(float), out);
  concat_input(c, 4 * sizeof(float), 1, 6 * sizeof(float), 2 * sizeof(float), out);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], static_cast<float>(i + 1)) << i;
}

}  // namespace
}  // namespace kiln::kernels
