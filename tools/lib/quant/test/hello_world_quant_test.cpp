// hello_world_float quantized: converter-like structure (QUANTIZE first,
// DEQUANTIZE last, bias scale = input scale x weight scale) and outputs within
// a few output LSBs of the float model.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "float_runner.h"
#include "kiln/host/error.h"
#include "kiln/quant/quantize.h"
#include "testdata.h"

namespace kiln::quant {
namespace {

dataset::Dataset sine_inputs(size_t n) {
  dataset::Dataset ds;
  ds.sample_shape = {1};
  for (size_t i = 0; i < n; ++i) ds.samples.push_back({6.2831853f * static_cast<float>(i) / static_cast<float>(n)});
  return ds;
}

class HelloWorld : public ::testing::Test {
 protected:
  void SetUp() override {
    float_model_ = testing::read_file(testing::testdata_path("models/tflm/hello_world_float.tflite"));
    int8_model_ = quantize(float_model_, sine_inputs(256), {}, &report_);
  }
  std::vector<uint8_t> float_model_, int8_model_;
  QuantizeReport report_;
};

TEST_F(HelloWorld, StructureIsWhatTheConverterWrites) {
  testing::ModelRunner r(int8_model_);
  ASSERT_EQ(r.status(), Status::kOk) << r.message();
  const model::Model& m = r.model();
  ASSERT_EQ(m.operator_count(), 5u);
  EXPECT_EQ(m.op(0).builtin_code, static_cast<int32_t>(model::BuiltinOp::kQuantize));
  EXPECT_EQ(m.op(4).builtin_code, static_cast<int32_t>(model::BuiltinOp::kDequantize));
  EXPECT_EQ(report_.op_names, (std::vector<std::string>{"QUANTIZE", "FULLY_CONNECTED", "FULLY_CONNECTED",
                                                          "FULLY_CONNECTED", "DEQUANTIZE"}));
  EXPECT_EQ(report_.ops_quantized, 3u);
  // Float I/O keeps the model's names; interior tensors keep theirs too.
  EXPECT_EQ(m.tensor(static_cast<uint32_t>(m.inputs()[0])).type, model::TensorType::kFloat32);
  EXPECT_EQ(m.tensor(static_cast<uint32_t>(m.outputs()[0])).type, model::TensorType::kFloat32);
  for (uint32_t i = 1; i <= 3; ++i) {
    const model::OperatorView op = m.op(i);
    const model::TensorView in = m.tensor(static_cast<uint32_t>(op.inputs[0]));
    const model::TensorView w = m.tensor(static_cast<uint32_t>(op.inputs[1]));
    const model::TensorView b = m.tensor(static_cast<uint32_t>(op.inputs[2]));
    const model::TensorView out = m.tensor(static_cast<uint32_t>(op.outputs[0]));
    EXPECT_EQ(in.type, model::TensorType::kInt8);
    EXPECT_EQ(w.type, model::TensorType::kInt8);
    EXPECT_EQ(b.type, model::TensorType::kInt32);
    EXPECT_EQ(out.type, model::TensorType::kInt8);
    ASSERT_EQ(w.quant.scale.size(), 1u);  // FC: per tensor, as the converter does
    EXPECT_EQ(w.quant.zero_point[0], 0);
    EXPECT_FLOAT_EQ(b.quant.scale[0], in.quant.scale[0] * w.quant.scale[0]);
    EXPECT_EQ(b.quant.zero_point[0], 0);
    // Narrow range: symmetric weights never use -128, and the largest |w| maps to 127.
    const model::BufferView wd = m.tensor_data(static_cast<uint32_t>(op.inputs[1]));
    int max_abs = 0;
    for (uint32_t k = 0; k < wd.size; ++k) {
      const int v = static_cast<int8_t>(wd.data[k]);
      EXPECT_NE(v, -128);
      max_abs = std::max(max_abs, std::abs(v));
    }
    EXPECT_EQ(max_abs, 127);
  }
  // The first layer's int8 input covers [0, 2pi): zero point -128.
  const model::TensorView q_in = m.tensor(static_cast<uint32_t>(m.op(0).outputs[0]));
  EXPECT_EQ(q_in.quant.zero_point[0], -128);
  EXPECT_NEAR(q_in.quant.scale[0], 6.2586f / 255.0f, 1e-4f);
}

TEST_F(HelloWorld, OutputsStayWithinAFewLsbOfFloat) {
  // The shipped hello_world_int8 (TFLite converter) is the yardstick.
  const auto shipped = testing::read_file(testing::testdata_path("models/tflm/hello_world_int8.tflite"));
  test::FloatRunner f(float_model_), q(int8_model_), s(shipped);
  ASSERT_TRUE(f.ok() && q.ok()) << q.message();
  testing::ModelRunner r(int8_model_);
  const float out_scale = r.model().tensor(static_cast<uint32_t>(r.model().op(4).inputs[0])).quant.scale[0];
  float max_err = 0.0f, max_shipped = 0.0f;
  double sum_err = 0.0;
  for (int i = 0; i < 100; ++i) {
    const float x = 0.0628f * static_cast<float>(i) + 0.01f;
    const float a = f.run({x})[0], b = q.run({x})[0];
    max_err = std::max(max_err, std::abs(a - b));
    max_shipped = std::max(max_shipped, std::abs(a - s.run({x})[0]));
    sum_err += std::abs(a - b);
  }
  std::printf("hello_world max |int8 - float|: kiln %.4f (%.1f LSB, mean %.4f), shipped %.4f; LSB %.4f\n", max_err,
              max_err / out_scale, sum_err / 100, max_shipped, out_scale);
  EXPECT_LE(max_err, 6.0f * out_scale) << "max error " << max_err << ", output LSB " << out_scale;
  EXPECT_LE(max_err, max_shipped * 1.25f);
}

TEST_F(HelloWorld, Int8IoMakesInt8Inputs) {
  QuantizeOptions o;
  o.int8_io = true;
  const std::vector<uint8_t> m8 = quantize(float_model_, sine_inputs(64), o);
  testing::ModelRunner r(m8);
  ASSERT_EQ(r.status(), Status::kOk) << r.message();
  EXPECT_EQ(r.model().operator_count(), 3u);
  EXPECT_EQ(r.model().tensor(static_cast<uint32_t>(r.model().inputs()[0])).type, model::TensorType::kInt8);
  EXPECT_EQ(r.model().tensor(static_cast<uint32_t>(r.model().outputs()[0])).type, model::TensorType::kInt8);
  test::FloatRunner q(m8), f(float_model_);
  EXPECT_NEAR(q.run({1.5f})[0], f.run({1.5f})[0], 0.05f);
}

TEST_F(HelloWorld, BadCalibrationIsAClearError) {
  dataset::Dataset empty;
  EXPECT_THROW(
      {
        try {
          quantize(float_model_, empty, {});
        } catch (const host::ToolError& e) {
          EXPECT_NE(std::string(e.what()).find("calibration data set is empty"), std::string::npos) << e.what();
          throw;
        }
      },
      host::ToolError);
  dataset::Dataset wrong;
  wrong.sample_shape = {3};
  wrong.samples = {{1, 2, 3}};
  try {
    quantize(float_model_, wrong, {});
    FAIL() << "no error";
  } catch (const host::ToolError& e) {
    EXPECT_NE(std::string(e.what()).find("samples have 3 values"), std::string::npos) << e.what();
  }
  // An int8 model is not a float model.
  const auto int8 = testing::read_file(testing::testdata_path("models/tflm/hello_world_int8.tflite"));
  try {
    quantize(int8, sine_inputs(4), {});
    FAIL() << "no error";
  } catch (const host::ToolError& e) {
    EXPECT_NE(std::string(e.what()).find("not float32"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace kiln::quant
