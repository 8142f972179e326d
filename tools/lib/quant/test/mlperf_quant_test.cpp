// MLPerf Tiny float models quantized by kiln against the shipped int8 models,
// on the same inputs: the golden inputs (numpy default_rng(K), K = 0..4, see
// testdata/models/golden/README.md) plus more drawn the same way here.
// Calibration uses synthetic data from the same distribution as those inputs
// (the shipped int8 models' input ranges), never the evaluation inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

#include "float_runner.h"
#include "kiln/quant/quantize.h"
#include "testdata.h"

namespace kiln::quant {
namespace {

// Samples whose values are scale * (q - zp) with q uniform int8: the golden
// inputs' distribution.
dataset::Dataset uniform_int8_like(size_t n, size_t elements, float scale, int zp, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> q(-128, 127);
  dataset::Dataset ds;
  ds.sample_shape = {static_cast<int32_t>(elements)};
  for (size_t s = 0; s < n; ++s) {
    std::vector<float> v(elements);
    for (float& x : v) x = scale * static_cast<float>(q(rng) - zp);
    ds.samples.push_back(std::move(v));
  }
  return ds;
}

std::vector<float> golden_float_input(const std::string& dir, int k) {
  const auto bytes = testing::read_file(testing::testdata_path("models/golden/" + dir + "/input_" + std::to_string(k) + ".bin"));
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

double mean_abs(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += std::abs(static_cast<double>(a[i]) - b[i]);
  return s / static_cast<double>(a.size());
}

TEST(Mlperf, Ad01ErrorAsCloseToFloatAsTheShippedInt8) {
  const auto float_model = testing::read_file(testing::testdata_path("models/mlperf-tiny/ad01_fp32.tflite"));
  const auto shipped = testing::read_file(testing::testdata_path("models/mlperf-tiny/ad01_int8.tflite"));
  // Shipped ad01_int8 input: scale 0.391015 zp 89.
  const dataset::Dataset calib = uniform_int8_like(64, 640, 0.391015232f, 89, 1234);
  const auto ours = quantize(float_model, calib, {});
  test::FloatRunner f(float_model), o(ours), s(shipped);
  ASSERT_TRUE(o.ok()) << o.message();
  // Evaluation: the 5 golden inputs, then 45 more of the same kind.
  std::vector<std::vector<float>> inputs;
  for (int k = 0; k < 5; ++k) inputs.push_back(golden_float_input("ad01_fp32", k));
  for (auto& v : uniform_int8_like(45, 640, 0.391015232f, 89, 99).samples) inputs.push_back(v);
  double err_ours = 0, err_shipped = 0;
  for (const auto& x : inputs) {
    const auto ref = f.run(x);
    err_ours += mean_abs(o.run(x), ref);
    err_shipped += mean_abs(s.run(x), ref);
  }
  err_ours /= static_cast<double>(inputs.size());
  err_shipped /= static_cast<double>(inputs.size());
  std::printf("ad01 mean |int8 - float| over %zu inputs: kiln %.4f, shipped %.4f\n", inputs.size(), err_ours,
              err_shipped);
  RecordProperty("ad01_error_kiln", std::to_string(err_ours));
  RecordProperty("ad01_error_shipped", std::to_string(err_shipped));
  EXPECT_LE(err_ours, err_shipped * 1.10 + 1e-3);
}

TEST(Mlperf, KwsHybridTop1AgreementAsHighAsTheShippedInt8) {
  const auto float_model = testing::read_file(testing::testdata_path("models/mlperf-tiny/kws_ref_model_float32.tflite"));
  const auto shipped = testing::read_file(testing::testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite"));
  // Shipped kws int8 input: scale 0.584703 zp 83; its weights start int8 (hybrid float model).
  const dataset::Dataset calib = uniform_int8_like(32, 490, 0.584703f, 83, 4321);
  QuantizeReport report;
  const auto ours = quantize(float_model, calib, {}, &report);
  EXPECT_EQ(report.ops_quantized, 13u);
  test::FloatRunner f(float_model), o(ours), s(shipped);
  ASSERT_TRUE(o.ok()) << o.message();
  std::vector<std::vector<float>> inputs = uniform_int8_like(60, 490, 0.584703f, 83, 77).samples;
  int agree_ours = 0, agree_shipped = 0;
  double err_ours = 0, err_shipped = 0;
  for (const auto& x : inputs) {
    const auto ref = f.run(x), a = o.run(x), b = s.run(x);
    agree_ours += test::argmax(a) == test::argmax(ref);
    agree_shipped += test::argmax(b) == test::argmax(ref);
    err_ours += mean_abs(a, ref);
    err_shipped += mean_abs(b, ref);
  }
  const double n = static_cast<double>(inputs.size());
  std::printf("kws top-1 agreement with float over %zu inputs: kiln %d, shipped %d; mean |dp|: kiln %.4f, shipped %.4f\n",
              inputs.size(), agree_ours, agree_shipped, err_ours / n, err_shipped / n);
  RecordProperty("kws_agree_kiln", agree_ours);
  RecordProperty("kws_agree_shipped", agree_shipped);
  EXPECT_GE(agree_ours, agree_shipped - 2);
}

// Figures for each calibration method (slow under sanitizers: run with
// --gtest_also_run_disabled_tests).
TEST(Mlperf, DISABLED_CalibrationMethodsSideBySide) {
  const auto ad01 = testing::read_file(testing::testdata_path("models/mlperf-tiny/ad01_fp32.tflite"));
  const auto kws = testing::read_file(testing::testdata_path("models/mlperf-tiny/kws_ref_model_float32.tflite"));
  for (Calibration c : {Calibration::kMinMax, Calibration::kPercentile, Calibration::kMse}) {
    QuantizeOptions o;
    o.calibration = c;
    const auto qa = quantize(ad01, uniform_int8_like(64, 640, 0.391015232f, 89, 1234), o);
    const auto qk = quantize(kws, uniform_int8_like(32, 490, 0.584703f, 83, 4321), o);
    test::FloatRunner fa(ad01), oa(qa), fk(kws), ok(qk);
    double err = 0;
    const auto ea = uniform_int8_like(50, 640, 0.391015232f, 89, 99).samples;
    for (const auto& x : ea) err += mean_abs(oa.run(x), fa.run(x));
    int agree = 0;
    const auto ek = uniform_int8_like(60, 490, 0.584703f, 83, 77).samples;
    for (const auto& x : ek) agree += test::argmax(ok.run(x)) == test::argmax(fk.run(x));
    std::printf("%-10s ad01 mean |err| %.4f; kws top-1 agreement %d/60\n", calibration_name(c),
                err / 50.0, agree);
  }
}

}  // namespace
}  // namespace kiln::quant
