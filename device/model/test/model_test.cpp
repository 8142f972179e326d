#include "kiln/model/model.h"

#include <gtest/gtest.h>

#include <cstring>

#include "model_builder.h"
#include "testdata.h"

namespace kiln::model {
namespace {

using kiln::testing::AlignedBytes;
using kiln::testing::ModelBuilder;
using kiln::testing::QuantSpec;

// A 2-op int8 model: FULLY_CONNECTED then RELU.
std::vector<uint8_t> tiny_model(uint32_t version = 3) {
  ModelBuilder b;
  const uint32_t w = b.add_buffer_of<int8_t>({1, 2, 3, 4, 5, 6});
  const uint32_t bias = b.add_buffer_of<int32_t>({10, -10});
  const int32_t in = b.add_tensor(TensorType::kInt8, {1, 3}, "in", 0, {{0.5f}, {-1}});
  const int32_t wt = b.add_tensor(TensorType::kInt8, {2, 3}, "w", w, {{0.1f, 0.2f}, {0, 0}, 0});
  const int32_t bt = b.add_tensor(TensorType::kInt32, {2}, "b", bias, {{0.05f, 0.1f}, {0, 0}});
  const int32_t mid = b.add_tensor(TensorType::kInt8, {1, 2}, "mid", 0, {{0.25f}, {3}});
  const int32_t out = b.add_tensor(TensorType::kInt8, {1, 2}, "out", 0, {{0.25f}, {3}});
  b.add_op(BuiltinOp::kFullyConnected, {in, wt, bt}, {mid});
  b.add_op(BuiltinOp::kRelu, {mid}, {out});
  b.set_inputs({in});
  b.set_outputs({out});
  return b.finish(version);
}

Status load(const std::vector<uint8_t>& bytes, Diag& d, Model* m = nullptr) {
  static AlignedBytes keep;
  keep = AlignedBytes(bytes);
  Model local;
  Model& model = m ? *m : local;
  return model.load(keep.data(), keep.size(), d);
}

TEST(ModelLoad, ReadsGraphOfHandBuiltModel) {
  AlignedBytes bytes(tiny_model());
  Model m;
  Diag d;
  ASSERT_EQ(m.load(bytes.data(), bytes.size(), d), Status::kOk) << d.message();
  EXPECT_EQ(m.schema_version(), 3u);
  EXPECT_EQ(m.tensor_count(), 5u);
  EXPECT_EQ(m.operator_count(), 2u);
  EXPECT_EQ(m.op(0).builtin_code, static_cast<int32_t>(BuiltinOp::kFullyConnected));
  EXPECT_EQ(m.op(1).builtin_code, static_cast<int32_t>(BuiltinOp::kRelu));
  EXPECT_EQ(m.op(0).inputs.size(), 3u);
  EXPECT_EQ(m.op(0).inputs[2], 2);
  const TensorView w = m.tensor(1);
  EXPECT_EQ(w.type, TensorType::kInt8);
  ASSERT_EQ(w.rank(), 2u);
  EXPECT_EQ(w.shape[0], 2);
  EXPECT_EQ(w.shape[1], 3);
  EXPECT_EQ(std::string(w.name.chars, w.name.len), "w");
  EXPECT_TRUE(w.quant.per_channel());
  EXPECT_FLOAT_EQ(w.quant.scale[1], 0.2f);
  const TensorView in = m.tensor(0);
  EXPECT_EQ(in.quant.zero_point[0], -1);
  EXPECT_EQ(m.inputs()[0], 0);
  EXPECT_EQ(m.outputs()[0], 4);
}

TEST(ModelLoad, WeightsAreZeroCopy) {
  AlignedBytes bytes(tiny_model());
  Model m;
  Diag d;
  ASSERT_EQ(m.load(bytes.data(), bytes.size(), d), Status::kOk);
  const BufferView w = m.tensor_data(1);
  ASSERT_EQ(w.size, 6u);
  EXPECT_GE(w.data, bytes.data());
  EXPECT_LT(w.data, bytes.data() + bytes.size());
  EXPECT_EQ(static_cast<int8_t>(w.data[5]), 6);
  EXPECT_EQ(m.tensor_data(0).data, nullptr);
}

TEST(ModelLoad, ReadsRealModel) {
  AlignedBytes bytes(kiln::testing::read_file(kiln::testing::testdata_path("models/tflm/person_detect.tflite")));
  Model m;
  Diag d;
  ASSERT_EQ(m.load(bytes.data(), bytes.size(), d), Status::kOk) << d.message();
  EXPECT_EQ(m.operator_count(), 31u);
  const TensorView in = m.tensor(m.inputs()[0]);
  EXPECT_EQ(in.type, TensorType::kInt8);
  ASSERT_EQ(in.rank(), 4u);
  EXPECT_EQ(in.shape[1], 96);
  EXPECT_EQ(in.shape[2], 96);
  // The first layer is a depthwise conv with depth multiplier 8 (1 -> 8).
  EXPECT_EQ(m.op(0).builtin_code, static_cast<int32_t>(BuiltinOp::kDepthwiseConv2d));
  EXPECT_EQ(m.op(0).options_type, OptionsType::kDepthwiseConv2d);
  EXPECT_EQ(m.op(0).options.scalar<int32_t>(3, 0), 8);
  EXPECT_EQ(m.op(2).builtin_code, static_cast<int32_t>(BuiltinOp::kConv2d));
  EXPECT_EQ(m.op(2).options_type, OptionsType::kConv2d);
  EXPECT_TRUE(m.op(2).options.ok());
}

TEST(ModelLoad, RejectsNullMisalignedAndTiny) {
  Diag d;
  Model m;
  EXPECT_EQ(m.load(nullptr, 100, d), Status::kInvalidArgument);
  AlignedBytes bytes(tiny_model());
  EXPECT_EQ(m.load(bytes.data() + 1, bytes.size() - 1, d), Status::kInvalidArgument);
  EXPECT_NE(std::string(d.message()).find("aligned"), std::string::npos);
  EXPECT_EQ(m.load(bytes.data(), 8, d), Status::kInvalidModel);
  EXPECT_NE(std::string(d.message()).find("too small"), std::string::npos);
}

TEST(ModelLoad, RejectsWrongIdentifierAndVersion) {
  Diag d;
  std::vector<uint8_t> bytes = tiny_model();
  bytes[4] = 'X';
  EXPECT_EQ(load(bytes, d), Status::kInvalidModel);
  EXPECT_NE(std::string(d.message()).find("TFL3"), std::string::npos);
  EXPECT_EQ(load(tiny_model(2), d), Status::kUnsupported);
  EXPECT_NE(std::string(d.message()).find("schema version 2"), std::string::npos);
}

TEST(ModelLoad, RejectsEveryTruncation) {
  const std::vector<uint8_t> full = tiny_model();
  Diag d;
  for (size_t n = 0; n < full.size(); ++n) {
    std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<long>(n));
    EXPECT_NE(load(cut, d), Status::kOk) << "accepted a model truncated to " << n << " bytes";
  }
}

TEST(ModelLoad, RejectsOutOfRangeTensorIndexInOperator) {
  ModelBuilder b;
  const int32_t in = b.add_tensor(TensorType::kInt8, {1, 2}, "in");
  b.add_op(BuiltinOp::kRelu, {in}, {7});
  b.set_inputs({in});
  b.set_outputs({in});
  Diag d;
  EXPECT_EQ(load(b.finish(), d), Status::kInvalidModel);
  EXPECT_STREQ(d.message(), "operator 0: outputs[0] = 7 is not a tensor index (1 tensors)");
}

TEST(ModelLoad, RejectsBufferIndexOutOfRange) {
  ModelBuilder b;
  b.add_tensor(TensorType::kInt8, {2}, "x", 9);
  Diag d;
  EXPECT_EQ(load(b.finish(), d), Status::kInvalidModel);
  EXPECT_NE(std::string(d.message()).find("buffer index 9 out of range"), std::string::npos);
}

TEST(ModelLoad, RejectsBufferSizeNotMatchingShape) {
  ModelBuilder b;
  const uint32_t buf = b.add_buffer_of<int8_t>({1, 2, 3});
  b.add_tensor(TensorType::kInt8, {4}, "x", buf);
  Diag d;
  EXPECT_EQ(load(b.finish(), d), Status::kInvalidModel);
  EXPECT_STREQ(d.message(), "tensor 0: buffer holds 3 bytes, shape needs 4");
}

TEST(ModelLoad, RejectsPerChannelScaleCountMismatch) {
  ModelBuilder b;
  b.add_tensor(TensorType::kInt8, {3, 2}, "w", 0, {{0.1f, 0.2f}, {0, 0}, 0});
  Diag d;
  EXPECT_EQ(load(b.finish(), d), Status::kInvalidModel);
  EXPECT_NE(std::string(d.message()).find("per-channel"), std::string::npos);
}

TEST(ModelLoad, RejectsRankAboveSixAndNegativeDims) {
  Diag d;
  ModelBuilder deep;
  deep.add_tensor(TensorType::kInt8, {1, 1, 1, 1, 1, 1, 1}, "deep");
  EXPECT_EQ(load(deep.finish(), d), Status::kUnsupported);
  EXPECT_NE(std::string(d.message()).find("rank 7"), std::string::npos);
  ModelBuilder dynamic;
  dynamic.add_tensor(TensorType::kInt8, {1, -1}, "dyn");
  EXPECT_EQ(load(dynamic.finish(), d), Status::kUnsupported);
  EXPECT_NE(std::string(d.message()).find("dynamic"), std::string::npos);
}

TEST(ModelLoad, RejectsGraphInputOutOfRange) {
  ModelBuilder b;
  b.add_tensor(TensorType::kInt8, {1}, "x");
  b.set_inputs({3});
  Diag d;
  EXPECT_EQ(load(b.finish(), d), Status::kInvalidModel);
  EXPECT_STREQ(d.message(), "graph inputs[0] = 3 is not a tensor index (1 tensors)");
}

TEST(Schema, NamesOperatorsAndTypes) {
  char buf[16];
  EXPECT_STREQ(builtin_op_name(3, buf, sizeof(buf)), "CONV_2D");
  EXPECT_STREQ(builtin_op_name(27, buf, sizeof(buf)), "SVDF");
  EXPECT_STREQ(builtin_op_name(114, buf, sizeof(buf)), "QUANTIZE");
  EXPECT_STREQ(builtin_op_name(126, buf, sizeof(buf)), "BATCH_MATMUL");
  EXPECT_STREQ(builtin_op_name(999, buf, sizeof(buf)), "BUILTIN_999");
  EXPECT_STREQ(tensor_type_name(TensorType::kInt16), "int16");
  EXPECT_EQ(tensor_type_size(TensorType::kInt64), 8u);
  EXPECT_EQ(tensor_type_size(TensorType::kString), 0u);
}

}  // namespace
}  // namespace kiln::model
