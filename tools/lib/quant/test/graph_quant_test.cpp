// A synthetic float CNN touching every supported operator: the int8 model
// follows TFLite's rules op by op (per-channel axes, bias scales, shared and
// fixed output parameters, names) and agrees with the float model.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "float_runner.h"
#include "kiln/host/error.h"
#include "kiln/quant/quantize.h"
#include "kiln/tflite/builtin_options.h"
#include "kiln/tflite/model_builder.h"

namespace kiln::quant {
namespace {

using model::Activation;
using model::BuiltinOp;
using model::Padding;
using model::TensorType;
using tflite::ModelBuilder;

std::vector<float> random_values(size_t n, float scale, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

void add(ModelBuilder& b, BuiltinOp op, std::vector<int32_t> in, std::vector<int32_t> out,
         const tflite::OpOptions& o = {}) {
  b.add_op(op, std::move(in), std::move(out), o.type, o.writer);
}

// input [1,8,8,2] -> conv 3x3 (4, relu) -> dw 3x3 (relu6) -> add -> mul -> max pool
// -> concat(max pool, avg pool) -> mean(1,2) -> reshape -> fc (3) -> softmax
std::vector<uint8_t> float_cnn() {
  ModelBuilder b;
  const auto f = TensorType::kFloat32;
  const int32_t in = b.add_tensor(f, {1, 8, 8, 2}, "input");
  const int32_t cw = b.add_tensor(f, {4, 3, 3, 2}, "conv/w", b.add_buffer_of(random_values(72, 0.4f, 1)));
  const int32_t cb = b.add_tensor(f, {4}, "conv/b", b.add_buffer_of(random_values(4, 0.1f, 2)));
  const int32_t c = b.add_tensor(f, {1, 8, 8, 4}, "conv");
  tflite::ConvParams same;
  same.padding = Padding::kSame;
  same.act = Activation::kRelu;
  add(b, BuiltinOp::kConv2d, {in, cw, cb}, {c}, tflite::conv2d_options(same));
  const int32_t dw = b.add_tensor(f, {1, 3, 3, 4}, "dw/w", b.add_buffer_of(random_values(36, 0.4f, 3)));
  const int32_t db = b.add_tensor(f, {4}, "dw/b", b.add_buffer_of(random_values(4, 0.1f, 4)));
  const int32_t d = b.add_tensor(f, {1, 8, 8, 4}, "dw");
  same.act = Activation::kRelu6;
  add(b, BuiltinOp::kDepthwiseConv2d, {c, dw, db}, {d}, tflite::depthwise_conv2d_options(same, 1));
  const int32_t s = b.add_tensor(f, {1, 8, 8, 4}, "add");
  add(b, BuiltinOp::kAdd, {c, d}, {s}, tflite::add_options());
  const int32_t m = b.add_tensor(f, {1, 8, 8, 4}, "mul");
  add(b, BuiltinOp::kMul, {s, d}, {m}, tflite::mul_options());
  const int32_t mp = b.add_tensor(f, {1, 4, 4, 4}, "maxpool");
  add(b, BuiltinOp::kMaxPool2d, {m}, {mp}, tflite::pool2d_options(Padding::kValid, 2, 2, 2, 2));
  const int32_t ap = b.add_tensor(f, {1, 4, 4, 4}, "avgpool");
  add(b, BuiltinOp::kAveragePool2d, {m}, {ap}, tflite::pool2d_options(Padding::kValid, 2, 2, 2, 2));
  const int32_t cat = b.add_tensor(f, {1, 4, 4, 8}, "concat");
  b.add_op(BuiltinOp::kConcatenation, {mp, ap}, {cat}, model::OptionsType::kConcatenation,
           [](flatbuffers::FlatBufferBuilder& fb) {
             const auto st = fb.StartTable();
             fb.AddElement<int32_t>(tflite::field(0), 3, 0);
             return fb.EndTable(st);
           });
  const int32_t axes = b.add_tensor(TensorType::kInt32, {2}, "mean/axes", b.add_buffer_of(std::vector<int32_t>{1, 2}));
  const int32_t mean = b.add_tensor(f, {1, 8}, "mean");
  const auto red = tflite::reducer_options(false);
  add(b, BuiltinOp::kMean, {cat, axes}, {mean}, red);
  const int32_t shape = b.add_tensor(TensorType::kInt32, {2}, "reshape/shape", b.add_buffer_of(std::vector<int32_t>{1, 8}));
  const int32_t r = b.add_tensor(f, {1, 8}, "reshape");
  add(b, BuiltinOp::kReshape, {mean, shape}, {r}, tflite::reshape_options({1, 8}));
  const int32_t fw = b.add_tensor(f, {3, 8}, "fc/w", b.add_buffer_of(random_values(24, 1.0f, 5)));
  const int32_t fbias = b.add_tensor(f, {3}, "fc/b", b.add_buffer_of(random_values(3, 0.1f, 6)));
  const int32_t logits = b.add_tensor(f, {1, 3}, "logits");
  add(b, BuiltinOp::kFullyConnected, {r, fw, fbias}, {logits}, tflite::fully_connected_options());
  const int32_t prob = b.add_tensor(f, {1, 3}, "prob");
  add(b, BuiltinOp::kSoftmax, {logits}, {prob}, tflite::softmax_options(1.0f));
  b.set_inputs({in});
  b.set_outputs({prob});
  return b.finish();
}

dataset::Dataset random_inputs(size_t n, uint32_t seed) {
  dataset::Dataset ds;
  ds.sample_shape = {8, 8, 2};
  for (size_t i = 0; i < n; ++i) ds.samples.push_back(random_values(128, 1.0f, seed + static_cast<uint32_t>(i)));
  return ds;
}

int32_t find_tensor(const model::Model& m, const std::string& name) {
  for (uint32_t i = 0; i < m.tensor_count(); ++i) {
    const model::TensorView t = m.tensor(i);
    if (std::string(t.name.chars, t.name.len) == name) return static_cast<int32_t>(i);
  }
  return -1;
}

class Cnn : public ::testing::Test {
 protected:
  void SetUp() override {
    float_model_ = float_cnn();
    QuantizeOptions o;
    o.calibration = Calibration::kMse;
    int8_model_ = quantize(float_model_, random_inputs(40, 100), o, &report_);
  }
  std::vector<uint8_t> float_model_, int8_model_;
  QuantizeReport report_;
};

TEST_F(Cnn, PerChannelWeightsAndBiasScales) {
  testing::ModelRunner r(int8_model_);
  ASSERT_EQ(r.status(), Status::kOk) << r.message();
  const model::Model& m = r.model();
  struct Case { const char* op_in; const char* w; const char* b; uint32_t channels; int32_t axis; };
  for (const Case& c : {Case{"input_int8", "conv/w", "conv/b", 4, 0}, Case{"conv", "dw/w", "dw/b", 4, 3},
                        Case{"reshape", "fc/w", "fc/b", 1, 0}}) {
    SCOPED_TRACE(c.w);
    const model::TensorView in = m.tensor(static_cast<uint32_t>(find_tensor(m, c.op_in)));
    const model::TensorView w = m.tensor(static_cast<uint32_t>(find_tensor(m, c.w)));
    const model::TensorView b = m.tensor(static_cast<uint32_t>(find_tensor(m, c.b)));
    EXPECT_EQ(w.type, TensorType::kInt8);
    EXPECT_EQ(w.quant.scale.size(), c.channels);
    EXPECT_EQ(w.quant.quantized_dimension, c.axis);
    EXPECT_EQ(b.type, TensorType::kInt32);
    ASSERT_EQ(b.quant.scale.size(), c.channels);
    for (uint32_t k = 0; k < c.channels; ++k) {
      EXPECT_EQ(w.quant.zero_point[k], 0);
      EXPECT_EQ(b.quant.zero_point[k], 0);
      EXPECT_NEAR(b.quant.scale[k], in.quant.scale[0] * w.quant.scale[k], 1e-6f * b.quant.scale[k]);
    }
  }
}

TEST_F(Cnn, SharedAndFixedOutputParameters) {
  testing::ModelRunner r(int8_model_);
  ASSERT_EQ(r.status(), Status::kOk) << r.message();
  const model::Model& m = r.model();
  auto params = [&](const char* name) {
    const model::TensorView t = m.tensor(static_cast<uint32_t>(find_tensor(m, name)));
    return std::make_pair(t.quant.scale[0], t.quant.zero_point[0]);
  };
  // MAX_POOL, AVERAGE_POOL and CONCATENATION share one scale/zero point, as do RESHAPE's in/out.
  EXPECT_EQ(params("mul"), params("maxpool"));
  EXPECT_EQ(params("maxpool"), params("avgpool"));
  EXPECT_EQ(params("avgpool"), params("concat"));
  EXPECT_EQ(params("mean"), params("reshape"));
  EXPECT_EQ(params("prob_int8"), std::make_pair(1.0f / 256.0f, int64_t{-128}));
  // Post-RELU tensors have range [0, max]: zero point -128.
  EXPECT_EQ(params("conv").second, -128);
  // Every int8 tensor keeps its float name (or "<name>_int8" at the float boundary).
  const testing::ModelRunner fr(float_model_);
  for (uint32_t i = 0; i < m.tensor_count(); ++i) {
    std::string name(m.tensor(i).name.chars, m.tensor(i).name.len);
    if (name.size() > 5 && name.compare(name.size() - 5, 5, "_int8") == 0) name.resize(name.size() - 5);
    EXPECT_GE(find_tensor(fr.model(), name), 0) << name;
  }
}

TEST_F(Cnn, AgreesWithTheFloatModel) {
  test::FloatRunner f(float_model_), q(int8_model_);
  ASSERT_TRUE(q.ok()) << q.message();
  const dataset::Dataset eval = random_inputs(50, 5000);
  int agree = 0;
  double err = 0;
  for (const auto& x : eval.samples) {
    const auto a = f.run(x), b = q.run(x);
    agree += test::argmax(a) == test::argmax(b);
    for (size_t k = 0; k < a.size(); ++k) err += std::abs(a[k] - b[k]);
  }
  std::printf("synthetic CNN (mse calibration): top-1 agreement %d/50, mean |dp| %.4f\n", agree, err / 150);
  EXPECT_GE(agree, 45);
  EXPECT_LT(err / 150, 0.03);
}

TEST_F(Cnn, EveryCalibrationMethodGivesAWorkingModel) {
  for (Calibration c : {Calibration::kMinMax, Calibration::kPercentile}) {
    QuantizeOptions o;
    o.calibration = c;
    o.max_samples = 10;
    QuantizeReport rep;
    const auto m = quantize(float_model_, random_inputs(40, 100), o, &rep);
    EXPECT_EQ(rep.samples_used, 10u);
    test::FloatRunner f(float_model_), q(m);
    ASSERT_TRUE(q.ok()) << q.message();
    const auto x = random_inputs(1, 77).samples[0];
    const auto a = f.run(x), b = q.run(x);
    for (size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k], b[k], 0.1f) << calibration_name(c);
  }
  // Percentile narrows a range with outliers; min/max keeps it.
  dataset::Dataset calib = random_inputs(40, 100);
  calib.samples[3][5] = 60.0f;  // one outlier among 5120 values
  QuantizeOptions p;
  p.calibration = Calibration::kPercentile;
  p.percentile = 99.9f;
  QuantizeReport rp, rm;
  quantize(float_model_, calib, p, &rp);
  quantize(float_model_, calib, {}, &rm);
  auto input_range = [](const QuantizeReport& r) {
    for (const auto& t : r.tensors) {
      if (t.role == "input") return t.range_max;
    }
    return 0.0f;
  };
  EXPECT_FLOAT_EQ(input_range(rm), 60.0f);
  EXPECT_LT(input_range(rp), 5.0f);
}

TEST(QuantizeErrors, UnsupportedOperatorIsNamed) {
  ModelBuilder b;
  const int32_t in = b.add_tensor(TensorType::kFloat32, {2, 3}, "in");
  const int32_t perm = b.add_tensor(TensorType::kInt32, {2}, "perm", b.add_buffer_of(std::vector<int32_t>{1, 0}));
  const int32_t out = b.add_tensor(TensorType::kFloat32, {3, 2}, "out");
  b.add_op(BuiltinOp::kTranspose, {in, perm}, {out});
  const int32_t out2 = b.add_tensor(TensorType::kFloat32, {3, 2}, "exp");
  b.add_op(BuiltinOp::kExp, {out}, {out2});
  b.set_inputs({in});
  b.set_outputs({out2});
  dataset::Dataset ds;
  ds.samples = {{1, 2, 3, 4, 5, 6}};
  try {
    quantize(b.finish(), ds, {});
    FAIL() << "no error";
  } catch (const host::ToolError& e) {
    EXPECT_NE(std::string(e.what()).find("unsupported operators: TRANSPOSE (op 0), EXP (op 1)"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace kiln::quant
