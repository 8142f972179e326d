// Kernel glue of the elementwise, pooling, shape and (de)quantize operators:
// single-op models built in memory, run through the interpreter, checked
// against hand-computed outputs; and prepare-time rejections by name.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "model_builder.h"
#include "model_runner.h"

namespace kiln::testing {
namespace {

namespace fb = flatbuffers;
using model::BuiltinOp;
using model::OptionsType;
using model::TensorType;

template <typename T>
std::vector<uint8_t> bytes_of(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

template <typename T>
std::vector<T> values_of(const std::vector<uint8_t>& b) {
  std::vector<T> v(b.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), b.data(), b.size());
  return v;
}

using tflite::float_bits;
using tflite::scalar_options;

QuantSpec q(float scale, int64_t zp) { return QuantSpec{{scale}, {zp}, 0}; }

// Runs a built model with the given input bytes; returns output 0.
std::vector<uint8_t> run(ModelBuilder& b, const std::vector<std::vector<uint8_t>>& inputs) {
  ModelRunner r(b.finish());
  EXPECT_EQ(r.status(), Status::kOk) << r.message();
  if (r.status() != Status::kOk) return {};
  for (size_t i = 0; i < inputs.size(); ++i)
    EXPECT_TRUE(r.set_input(static_cast<uint32_t>(i), inputs[i]));
  EXPECT_EQ(r.invoke(), Status::kOk) << r.message();
  return r.output_bytes(0);
}

// Builds and expects init to fail with `code`, the message naming `needle`.
void expect_rejected(ModelBuilder& b, Status code, const std::string& needle) {
  ModelRunner r(b.finish());
  EXPECT_EQ(r.status(), code) << r.message();
  EXPECT_NE(r.message().find(needle), std::string::npos) << r.message();
}

TEST(AddGlue, Int8BroadcastWithFusedRelu) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt8, {2, 2}, "x", 0, q(0.5f, 0));
  const int32_t y = b.add_tensor(TensorType::kInt8, {2}, "y", 0, q(0.5f, 0));
  const int32_t o = b.add_tensor(TensorType::kInt8, {2, 2}, "o", 0, q(1.0f, 0));
  b.add_op(BuiltinOp::kAdd, {x, y}, {o}, OptionsType::kAdd, scalar_options({{0, 1, 1}}));  // RELU
  b.set_inputs({x, y});
  b.set_outputs({o});
  const auto out =
      values_of<int8_t>(run(b, {bytes_of<int8_t>({10, -10, 3, 1}), bytes_of<int8_t>({6, 0})}));
  EXPECT_EQ(out, (std::vector<int8_t>{8, 0, 5, 1}));  // 8, -5 -> 0, 4.5 -> 5, 0.5 -> 1
}

TEST(SubGlue, FloatBroadcastFirstInput) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kFloat32, {1}, "x");
  const int32_t y = b.add_tensor(TensorType::kFloat32, {3}, "y");
  const int32_t o = b.add_tensor(TensorType::kFloat32, {3}, "o");
  b.add_op(BuiltinOp::kSub, {x, y}, {o}, OptionsType::kSub, scalar_options({{0, 3, 1}}));  // RELU6
  b.set_inputs({x, y});
  b.set_outputs({o});
  const auto out =
      values_of<float>(run(b, {bytes_of<float>({5.0f}), bytes_of<float>({1.0f, 7.0f, -3.0f})}));
  EXPECT_EQ(out, (std::vector<float>{4.0f, 0.0f, 6.0f}));
}

TEST(MulGlue, RejectsInt16ZeroPointsAndBadBroadcast) {
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kInt16, {2}, "x", 0, q(0.5f, 1));
    const int32_t o = b.add_tensor(TensorType::kInt16, {2}, "o", 0, q(0.5f, 0));
    b.add_op(BuiltinOp::kMul, {x, x}, {o});
    b.set_inputs({x});
    b.set_outputs({o});
    expect_rejected(b, Status::kUnsupported, "zero points of 0");
  }
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kFloat32, {2}, "x");
    const int32_t y = b.add_tensor(TensorType::kFloat32, {3}, "y");
    const int32_t o = b.add_tensor(TensorType::kFloat32, {3}, "o");
    b.add_op(BuiltinOp::kMul, {x, y}, {o});
    b.set_inputs({x, y});
    b.set_outputs({o});
    expect_rejected(b, Status::kInvalidModel, "broadcast");
  }
}

TEST(PoolGlue, FloatAverageOverWholeMapLikeKws) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kFloat32, {1, 25, 5, 2}, "x");
  const int32_t o = b.add_tensor(TensorType::kFloat32, {1, 1, 1, 2}, "o");
  b.add_op(BuiltinOp::kAveragePool2d, {x}, {o}, OptionsType::kPool2d,
           scalar_options({{0, 1, 1}, {1, 5, 4}, {2, 25, 4}, {3, 5, 4}, {4, 25, 4}}));
  b.set_inputs({x});
  b.set_outputs({o});
  std::vector<float> in(250);
  for (int i = 0; i < 125; ++i) {
    in[2 * i] = static_cast<float>(i);
    in[2 * i + 1] = -1.0f;
  }
  const auto out = values_of<float>(run(b, {bytes_of(in)}));
  EXPECT_EQ(out, (std::vector<float>{62.0f, -1.0f}));
}

TEST(PoolGlue, Int8MaxSameAndShapeMismatch) {
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kInt8, {1, 3, 3, 1}, "x", 0, q(0.1f, -3));
    const int32_t o = b.add_tensor(TensorType::kInt8, {1, 2, 2, 1}, "o", 0, q(0.1f, -3));
    b.add_op(
        BuiltinOp::kMaxPool2d, {x}, {o}, OptionsType::kPool2d,
        scalar_options({{0, 0, 1}, {1, 2, 4}, {2, 2, 4}, {3, 2, 4}, {4, 2, 4}, {5, 1, 1}}));  // SAME, RELU
    b.set_inputs({x});
    b.set_outputs({o});
    const auto out =
        values_of<int8_t>(run(b, {bytes_of<int8_t>({-9, -8, -7, -6, -5, 4, -10, -11, -12})}));
    EXPECT_EQ(out, (std::vector<int8_t>{-3, 4, -3, -3}));  // RELU clamps at zp -3
  }
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kInt8, {1, 3, 3, 1}, "x", 0, q(0.1f, 0));
    const int32_t o = b.add_tensor(TensorType::kInt8, {1, 1, 1, 1}, "o", 0, q(0.1f, 0));
    b.add_op(BuiltinOp::kMaxPool2d, {x}, {o}, OptionsType::kPool2d,
             scalar_options({{0, 0, 1}, {1, 2, 4}, {2, 2, 4}, {3, 2, 4}, {4, 2, 4}}));
    b.set_inputs({x});
    b.set_outputs({o});
    expect_rejected(b, Status::kInvalidModel, "output size");
  }
}

TEST(PadGlue, Int8PadsWithOutputZeroPoint) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt8, {1, 2}, "x", 0, q(0.5f, -4));
  const int32_t p =
      b.add_tensor(TensorType::kInt32, {2, 2}, "p", b.add_buffer_of<int32_t>({0, 0, 1, 2}));
  const int32_t o = b.add_tensor(TensorType::kInt8, {1, 5}, "o", 0, q(0.5f, -4));
  b.add_op(BuiltinOp::kPad, {x, p}, {o});
  b.set_inputs({x});
  b.set_outputs({o});
  const auto out = values_of<int8_t>(run(b, {bytes_of<int8_t>({7, 9})}));
  EXPECT_EQ(out, (std::vector<int8_t>{-4, 7, 9, -4, -4}));
}

TEST(PadGlue, RejectsNegativePadding) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kFloat32, {3}, "x");
  const int32_t p =
      b.add_tensor(TensorType::kInt32, {1, 2}, "p", b.add_buffer_of<int32_t>({-1, 0}));
  const int32_t o = b.add_tensor(TensorType::kFloat32, {2}, "o");
  b.add_op(BuiltinOp::kPad, {x, p}, {o});
  b.set_inputs({x});
  b.set_outputs({o});
  expect_rejected(b, Status::kUnsupported, "negative");
}

TEST(ConcatenationGlue, NegativeAxisThreeInputs) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt16, {2, 1}, "x", 0, q(1.0f, 0));
  const int32_t y = b.add_tensor(TensorType::kInt16, {2, 2}, "y", 0, q(1.0f, 0));
  const int32_t z = b.add_tensor(TensorType::kInt16, {2, 1}, "z", 0, q(1.0f, 0));
  const int32_t o = b.add_tensor(TensorType::kInt16, {2, 4}, "o", 0, q(1.0f, 0));
  b.add_op(BuiltinOp::kConcatenation, {x, y, z}, {o}, OptionsType::kConcatenation,
           scalar_options({{0, -1, 4}}));
  b.set_inputs({x, y, z});
  b.set_outputs({o});
  const auto out = values_of<int16_t>(run(
      b, {bytes_of<int16_t>({1, 2}), bytes_of<int16_t>({3, 4, 5, 6}), bytes_of<int16_t>({7, 8})}));
  EXPECT_EQ(out, (std::vector<int16_t>{1, 3, 4, 7, 2, 5, 6, 8}));
}

TEST(ConcatenationGlue, RejectsInt8ScaleMismatch) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt8, {1}, "x", 0, q(1.0f, 0));
  const int32_t y = b.add_tensor(TensorType::kInt8, {1}, "y", 0, q(2.0f, 0));
  const int32_t o = b.add_tensor(TensorType::kInt8, {2}, "o", 0, q(1.0f, 0));
  b.add_op(BuiltinOp::kConcatenation, {x, y}, {o}, OptionsType::kConcatenation,
           scalar_options({{0, 0, 4}}));
  b.set_inputs({x, y});
  b.set_outputs({o});
  expect_rejected(b, Status::kUnsupported, "quantization");
}

TEST(ReshapeGlue, CopiesAndChecksCounts) {
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kFloat32, {2, 3}, "x");
    const int32_t o = b.add_tensor(TensorType::kFloat32, {3, 2}, "o");
    b.add_op(BuiltinOp::kReshape, {x}, {o});
    b.set_inputs({x});
    b.set_outputs({o});
    const std::vector<float> in = {1, 2, 3, 4, 5, 6};
    EXPECT_EQ(values_of<float>(run(b, {bytes_of(in)})), in);
  }
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kFloat32, {2, 3}, "x");
    const int32_t o = b.add_tensor(TensorType::kFloat32, {5}, "o");
    b.add_op(BuiltinOp::kReshape, {x}, {o});
    b.set_inputs({x});
    b.set_outputs({o});
    expect_rejected(b, Status::kInvalidModel, "elements");
  }
}

TEST(MeanGlue, Int8SpatialKeepDims) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt8, {1, 2, 2, 2}, "x", 0, q(0.5f, 3));
  const int32_t a = b.add_tensor(TensorType::kInt32, {2}, "axes", b.add_buffer_of<int32_t>({1, 2}));
  const int32_t o = b.add_tensor(TensorType::kInt8, {1, 1, 1, 2}, "o", 0, q(0.5f, -1));
  b.add_op(BuiltinOp::kMean, {x, a}, {o}, OptionsType::kReducer, scalar_options({{0, 1, 1}}));
  b.set_inputs({x});
  b.set_outputs({o});
  const auto out = values_of<int8_t>(run(b, {bytes_of<int8_t>({1, 10, 5, 11, 2, 12, 4, 14})}));
  EXPECT_EQ(out, (std::vector<int8_t>{-1, 8}));
}

TEST(QuantizeGlue, FloatToInt8AndBack) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kFloat32, {4}, "x");
  const int32_t m = b.add_tensor(TensorType::kInt8, {4}, "m", 0, q(0.5f, 3));
  const int32_t o = b.add_tensor(TensorType::kFloat32, {4}, "o");
  b.add_op(BuiltinOp::kQuantize, {x}, {m});
  b.add_op(BuiltinOp::kDequantize, {m}, {o});
  b.set_inputs({x});
  b.set_outputs({o});
  const auto out = values_of<float>(run(b, {bytes_of<float>({0.25f, -0.25f, 100.0f, -1.0f})}));
  EXPECT_EQ(out, (std::vector<float>{0.5f, -0.5f, 62.0f, -1.0f}));
}

TEST(QuantizeGlue, Int16ToInt32) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt16, {3}, "x", 0, q(1.0f / 1024, 0));
  const int32_t o = b.add_tensor(TensorType::kInt32, {3}, "o", 0, q(1.0f / (1 << 20), 0));
  b.add_op(BuiltinOp::kQuantize, {x}, {o});
  b.set_inputs({x});
  b.set_outputs({o});
  const auto out = values_of<int32_t>(run(b, {bytes_of<int16_t>({-32768, 1, 32767})}));
  EXPECT_EQ(out, (std::vector<int32_t>{-33554432, 1024, 33553408}));
}

TEST(StridedSliceGlue, MasksAndShrink) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt16, {2, 3}, "x", 0, q(1.0f, 0));
  const int32_t bg =
      b.add_tensor(TensorType::kInt32, {2}, "begin", b.add_buffer_of<int32_t>({-1, 0}));
  const int32_t en = b.add_tensor(TensorType::kInt32, {2}, "end", b.add_buffer_of<int32_t>({0, 0}));
  const int32_t st =
      b.add_tensor(TensorType::kInt32, {2}, "strides", b.add_buffer_of<int32_t>({1, -1}));
  const int32_t o = b.add_tensor(TensorType::kInt16, {3}, "o", 0, q(1.0f, 0));
  // x[-1, ::-1]: begin_mask and end_mask on axis 1, shrink axis 0.
  b.add_op(BuiltinOp::kStridedSlice, {x, bg, en, st}, {o}, OptionsType::kStridedSlice,
           scalar_options({{0, 2, 4}, {1, 2, 4}, {4, 1, 4}}));
  b.set_inputs({x});
  b.set_outputs({o});
  const auto out = values_of<int16_t>(run(b, {bytes_of<int16_t>({1, 2, 3, 4, 5, 6})}));
  EXPECT_EQ(out, (std::vector<int16_t>{6, 5, 4}));
}

TEST(StridedSliceGlue, RejectsEllipsisAndWrongOutput) {
  for (int variant = 0; variant < 2; ++variant) {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kFloat32, {4}, "x");
    const int32_t bg =
        b.add_tensor(TensorType::kInt32, {1}, "begin", b.add_buffer_of<int32_t>({1}));
    const int32_t en = b.add_tensor(TensorType::kInt32, {1}, "end", b.add_buffer_of<int32_t>({3}));
    const int32_t st =
        b.add_tensor(TensorType::kInt32, {1}, "strides", b.add_buffer_of<int32_t>({1}));
    const int32_t o = b.add_tensor(TensorType::kFloat32, {variant == 0 ? 2 : 3}, "o");
    b.add_op(BuiltinOp::kStridedSlice, {x, bg, en, st}, {o}, OptionsType::kStridedSlice,
             scalar_options({{2, variant == 0 ? 1 : 0, 4}}));
    b.set_inputs({x});
    b.set_outputs({o});
    if (variant == 0) {
      expect_rejected(b, Status::kUnsupported, "ellipsis");
    } else {
      expect_rejected(b, Status::kInvalidModel, "output shape");
    }
  }
}

TEST(ActivationGlue, LeakyReluAlphaAndRelu6Int8) {
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kFloat32, {3}, "x");
    const int32_t o = b.add_tensor(TensorType::kFloat32, {3}, "o");
    b.add_op(BuiltinOp::kLeakyRelu, {x}, {o}, OptionsType::kLeakyRelu,
             scalar_options({{0, float_bits(0.25f), -4}}));
    b.set_inputs({x});
    b.set_outputs({o});
    const auto out = values_of<float>(run(b, {bytes_of<float>({-4.0f, 0.0f, 2.0f})}));
    EXPECT_EQ(out, (std::vector<float>{-1.0f, 0.0f, 2.0f}));
  }
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kInt8, {4}, "x", 0, q(0.1f, -20));
    const int32_t o = b.add_tensor(TensorType::kInt8, {4}, "o", 0, q(0.1f, -20));
    b.add_op(BuiltinOp::kRelu6, {x}, {o});
    b.set_inputs({x});
    b.set_outputs({o});
    const auto out = values_of<int8_t>(run(b, {bytes_of<int8_t>({-128, -5, 40, 127})}));
    EXPECT_EQ(out, (std::vector<int8_t>{-20, -5, 40, 40}));
  }
  {
    ModelBuilder b;
    const int32_t x = b.add_tensor(TensorType::kInt8, {3}, "x", 0, q(0.5f, -10));
    const int32_t o = b.add_tensor(TensorType::kInt8, {3}, "o", 0, q(0.25f, 5));
    b.add_op(BuiltinOp::kRelu, {x}, {o});
    b.set_inputs({x});
    b.set_outputs({o});
    const auto out = values_of<int8_t>(run(b, {bytes_of<int8_t>({-12, -7, 50})}));
    EXPECT_EQ(out, (std::vector<int8_t>{5, 11, 125}));
  }
}

}  // namespace
}  // namespace kiln::testing

namespace kiln::testing {
namespace {

// One-op model: x -> op -> y with the given types and quantization.
ModelBuilder unary(BuiltinOp op, TensorType type, QuantSpec in_q, QuantSpec out_q) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(type, {1, 4}, "x", 0, in_q);
  const int32_t y = b.add_tensor(type, {1, 4}, "y", 0, out_q);
  b.add_op(op, {x}, {y});
  b.set_inputs({x});
  b.set_outputs({y});
  return b;
}

TEST(LogisticTanhGlue, FloatMatchesTheMathFunctions) {
  const std::vector<float> x = {-2.0f, -0.5f, 0.0f, 1.5f};
  ModelBuilder lb = unary(BuiltinOp::kLogistic, TensorType::kFloat32, {}, {});
  const auto lo = values_of<float>(run(lb, {bytes_of<float>(x)}));
  ModelBuilder tb = unary(BuiltinOp::kTanh, TensorType::kFloat32, {}, {});
  const auto th = values_of<float>(run(tb, {bytes_of<float>(x)}));
  ASSERT_EQ(lo.size(), 4u);
  ASSERT_EQ(th.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(lo[i], 1.0 / (1.0 + std::exp(-x[i])), 1e-6);
    EXPECT_NEAR(th[i], std::tanh(x[i]), 1e-6);
  }
}

TEST(LogisticTanhGlue, Int8PicksTheRightKernelAndChecksLogisticOutput) {
  // Input scale 1/16, zero point 0: x = {-32, -8, 0, 24} is {-2, -0.5, 0, 1.5}.
  const std::vector<int8_t> x = {-32, -8, 0, 24};
  ModelBuilder lb = unary(BuiltinOp::kLogistic, TensorType::kInt8, q(1.0f / 16, 0), q(1.0f / 256, -128));
  const auto lo = values_of<int8_t>(run(lb, {bytes_of<int8_t>(x)}));
  ModelBuilder tb = unary(BuiltinOp::kTanh, TensorType::kInt8, q(1.0f / 16, 0), q(1.0f / 128, 0));
  const auto th = values_of<int8_t>(run(tb, {bytes_of<int8_t>(x)}));
  const double real[4] = {-2.0, -0.5, 0.0, 1.5};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR((lo[i] + 128) / 256.0, 1.0 / (1.0 + std::exp(-real[i])), 1.0 / 256) << i;
    EXPECT_NEAR(th[i] / 128.0, std::tanh(real[i]), 1.0 / 128) << i;
  }
  ModelBuilder bad = unary(BuiltinOp::kLogistic, TensorType::kInt8, q(1.0f / 16, 0), q(1.0f / 256, 0));
  expect_rejected(bad, Status::kUnsupported, "output zero point must be -128");
}

}  // namespace
}  // namespace kiln::testing
