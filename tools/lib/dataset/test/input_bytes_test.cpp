// Samples into model input bytes: float copy and TFLite QUANTIZE rounding.
#include <gtest/gtest.h>

#include <cstring>

#include "kiln/dataset/dataset.h"
#include "kiln/host/error.h"
#include "kiln/host/model_file.h"
#include "testdata.h"

namespace kiln::dataset {
namespace {

using host::TensorSpec;
using model::TensorType;

TEST(InputBytes, FloatIsACopy) {
  const TensorSpec in{"x", TensorType::kFloat32, {1, 3}};
  const auto b = to_input_bytes({1.5f, -2.0f, 3.25f}, in);
  ASSERT_EQ(b.size(), 12u);
  float f[3];
  std::memcpy(f, b.data(), 12);
  EXPECT_EQ(f[0], 1.5f);
  EXPECT_EQ(f[2], 3.25f);
}

TEST(InputBytes, Int8RoundsHalfAwayAndSaturates) {
  const TensorSpec in{"x", TensorType::kInt8, {6}};
  // scale 0.5, zp -10: 0.25/0.5 = 0.5 -> 1; -0.25 -> -1; 100 -> saturate 127; -100 -> -128.
  const auto b = to_input_bytes({0.25f, -0.25f, 100.0f, -100.0f, 0.0f, 1e30f}, in, 0.5f, -10);
  const std::vector<int8_t> expect = {-9, -11, 127, -128, -10, 127};
  ASSERT_EQ(b.size(), 6u);
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(static_cast<int8_t>(b[i]), expect[i]) << i;
}

TEST(InputBytes, Uint8AndErrors) {
  const TensorSpec in{"x", TensorType::kUInt8, {2}};
  const auto b = to_input_bytes({1.0f, -1.0f}, in, 1.0f / 255.0f, 0);
  EXPECT_EQ(b, (std::vector<uint8_t>{255, 0}));
  EXPECT_THROW(to_input_bytes({1.0f}, in, 1.0f, 0), host::ToolError);          // count
  EXPECT_THROW(to_input_bytes({1.0f, 2.0f}, in), host::ToolError);             // needs quant
  EXPECT_THROW(to_input_bytes({1.0f, 2.0f}, in, 0.0f, 0), host::ToolError);    // bad scale
  const TensorSpec s{"s", TensorType::kString, {2}};
  EXPECT_THROW(to_input_bytes({1.0f, 2.0f}, s, 1.0f, 0), host::ToolError);
}

TEST(InputBytes, FromTheModelsInputTensor) {
  // hello_world_int8's input: int8[1,1], scale 0.0244801, zero point -128.
  const host::LoadedModel m(testing::testdata_path("models/tflm/hello_world_int8.tflite"));
  const uint32_t in = static_cast<uint32_t>(m.model().inputs()[0]);
  EXPECT_EQ(static_cast<int8_t>(to_input_bytes({1.0f}, m, in)[0]), -128 + 41);  // 1/0.0244801 = 40.85
  EXPECT_EQ(static_cast<int8_t>(to_input_bytes({0.0f}, m, in)[0]), -128);
  EXPECT_THROW(to_input_bytes({1.0f, 2.0f}, m, in), host::ToolError);
  const host::LoadedModel f(testing::testdata_path("models/tflm/hello_world_float.tflite"));
  const auto fb = to_input_bytes({1.25f}, f, static_cast<uint32_t>(f.model().inputs()[0]));
  float v;
  std::memcpy(&v, fb.data(), 4);
  EXPECT_EQ(v, 1.25f);
}

}  // namespace
}  // namespace kiln::dataset
