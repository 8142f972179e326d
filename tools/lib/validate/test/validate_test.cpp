// The three stages and the gate on MLPerf Tiny's KWS model (float and the
// converter's int8 version): a good int8 model passes; the same model with
// one layer's output scale corrupted fails and that layer is named worst;
// stage-3 byte mismatches fail the gate; bad input is a clear error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/model_file.h"
#include "kiln/validate/report.h"
#include "kiln/validate/validate.h"
#include "validate_support.h"

namespace kiln::validate {
namespace {

using test::kws_data;

ValidateOptions kws_options() {
  ValidateOptions o;
  o.float_model = test::kws_float();
  o.int8_model = test::kws_kiln_int8();
  o.layer_samples = 20;
  return o;
}

// Index of the n-th operator that is not a QUANTIZE/DEQUANTIZE (kiln's int8
// model starts with a QUANTIZE of the float input).
uint32_t compute_op(const host::LoadedModel& m, uint32_t n) {
  for (uint32_t k = 0; k < m.model().operator_count(); ++k) {
    const std::string name = m.op_name(k);
    if (name != "QUANTIZE" && name != "DEQUANTIZE" && n-- == 0) return k;
  }
  return UINT32_MAX;
}

// A copy of kiln's int8 KWS with the output scale of compute op n divided by 16.
std::string broken_kws(uint32_t n, uint32_t* op, std::string* tensor_name) {
  const host::LoadedModel m(test::kws_kiln_int8());
  *op = compute_op(m, n);
  const uint32_t t = static_cast<uint32_t>(m.model().op(*op).outputs[0]);
  *tensor_name = m.tensor_name(t);
  return test::temp_file("kws_broken_" + std::to_string(n) + ".tflite",
                         test::with_scaled_tensor(host::read_file_bytes(test::kws_kiln_int8()), t, 1.0f / 16));
}

TEST(Validate, ConvertersKwsPairIsMatchedByName) {
  // MLPerf's int8 KWS (int8 I/O, TFLite converter): every op matched by name.
  ValidateOptions o = kws_options();
  o.int8_model = test::kws_int8();
  o.layer_samples = 5;
  const ValidationReport r = run_validation(kws_data(5, 1), o);
  EXPECT_EQ(r.layers.matching, "name");
  ASSERT_EQ(r.layers.layers.size(), 13u);
  for (const LayerDrift& l : r.layers.layers) EXPECT_EQ(l.matched_by, "name") << l.tensor;
}

TEST(Validate, KilnsInt8KwsPassesTheGate) {
  const dataset::Dataset data = kws_data(40, 1);
  const ValidationReport r = run_validation(data, kws_options());
  ASSERT_EQ(r.stages.size(), 2u);
  EXPECT_EQ(r.classes, 12u);
  EXPECT_EQ(r.stages[0].agreement, 100.0);
  EXPECT_EQ(r.stages[0].drift.max_abs, 0.0);
  ASSERT_TRUE(r.stages[1].agreement.has_value());
  EXPECT_GE(*r.stages[1].agreement, 95.0);
  EXPECT_LT(r.stages[1].drift.mean_abs, 0.02);  // softmax outputs
  EXPECT_GT(r.stages[1].drift.mean_cosine, 0.98);
  EXPECT_FALSE(r.stages[1].accuracy.has_value());  // no labels
  EXPECT_TRUE(r.gate.passed) << (r.gate.reasons.empty() ? "" : r.gate.reasons[0]);
  // Per layer: 13 ops + QUANTIZE + DEQUANTIZE, all matched, SQNR high.
  EXPECT_EQ(r.layers.matching, "name");
  EXPECT_EQ(r.layers.samples, 20u);
  ASSERT_EQ(r.layers.layers.size(), 15u);
  for (const LayerDrift& l : r.layers.layers) {
    EXPECT_NE(l.matched_by, "order") << l.tensor;
    EXPECT_GT(l.sqnr_db, 15.0) << l.tensor;
  }
  EXPECT_GE(r.layers.worst, 0);
}

TEST(Validate, CorruptedLayerScaleFailsAndIsNamedWorst) {
  uint32_t op = 0;
  std::string tensor;
  ValidateOptions o = kws_options();
  o.int8_model = broken_kws(4, &op, &tensor);  // the third CONV_2D
  const ValidationReport r = run_validation(kws_data(40, 1), o);
  if (std::getenv("KILN_VALIDATE_TEST_PRINT") != nullptr) std::printf("%s", to_text(r).c_str());
  EXPECT_FALSE(r.gate.passed);
  ASSERT_FALSE(r.gate.reasons.empty());
  EXPECT_NE(r.gate.reasons[0].find("top-1 disagreement"), std::string::npos) << r.gate.reasons[0];
  ASSERT_GE(r.layers.worst, 0);
  const LayerDrift& w = r.layers.layers[static_cast<size_t>(r.layers.worst)];
  EXPECT_EQ(w.op, op);
  EXPECT_EQ(w.op_name, "CONV_2D");
  EXPECT_EQ(w.tensor, tensor);
  EXPECT_GT(w.loss_db, 10.0);
  // The layers before it are untouched.
  for (const LayerDrift& l : r.layers.layers) {
    if (l.op < op) {
      EXPECT_GT(l.sqnr_db, 15.0) << l.tensor;
    }
  }
}

TEST(Validate, NamesTheCorruptedLayerWhereverItIs) {
  for (uint32_t n : {1u, 7u}) {
    uint32_t op = 0;
    std::string tensor;
    ValidateOptions o = kws_options();
    o.layer_samples = 10;
    o.int8_model = broken_kws(n, &op, &tensor);
    const ValidationReport r = run_validation(kws_data(10, 2), o);
    ASSERT_GE(r.layers.worst, 0);
    EXPECT_EQ(r.layers.layers[static_cast<size_t>(r.layers.worst)].op, op);
  }
}

TEST(Validate, AccuracyAndConfusionWithLabels) {
  dataset::Dataset data = kws_data(30, 3);
  ValidateOptions o = kws_options();
  o.layer_samples = 2;
  data.labels.assign(30, 0);
  const ValidationReport r = run_validation(data, o);
  ASSERT_TRUE(r.stages[0].accuracy.has_value());
  ASSERT_EQ(r.confusion.classes, 12u);
  uint64_t row0 = 0, total = 0;
  for (size_t b = 0; b < 12; ++b) row0 += r.confusion.at(0, b);
  for (uint64_t c : r.confusion.cells) total += c;
  EXPECT_EQ(row0, 30u);
  EXPECT_EQ(total, 30u);
  EXPECT_NEAR(*r.stages[1].accuracy, 100.0 * static_cast<double>(r.confusion.at(0, 0)) / 30.0, 1e-9);
}

TEST(Validate, Stage3MatchesOrFailsByteForByte) {
  const dataset::Dataset data = kws_data(12, 4);
  test::HostTarget faithful;
  ValidateOptions o = kws_options();
  o.layer_samples = 2;
  o.target = &faithful;
  o.board = "stand-in";
  ValidationReport r = run_validation(data, o);
  ASSERT_EQ(r.stages.size(), 3u);
  EXPECT_TRUE(r.stages[2].compared_bytes);
  EXPECT_EQ(r.stages[2].mismatched_samples, 0u);
  EXPECT_EQ(r.stages[2].instructions, 1234u);
  EXPECT_EQ(r.stages[2].agreement, r.stages[1].agreement);
  EXPECT_TRUE(r.gate.passed);

  test::HostTarget flaky;
  flaky.corrupt_sample = 5;
  o.target = &flaky;
  r = run_validation(data, o);
  EXPECT_EQ(r.stages[2].mismatched_samples, 1u);
  EXPECT_EQ(r.stages[2].mismatched_bytes, 1u);
  EXPECT_EQ(r.stages[2].first_mismatch, 5);
  EXPECT_FALSE(r.gate.passed);
  ASSERT_EQ(r.gate.reasons.size(), 1u);
  EXPECT_NE(r.gate.reasons[0].find("differ from INT8 on host in 1 sample(s), 1 byte(s) (first: sample 5)"),
            std::string::npos)
      << r.gate.reasons[0];
}

std::string error_of(const dataset::Dataset& data, const ValidateOptions& o) {
  try {
    run_validation(data, o);
  } catch (const host::ToolError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Validate, BadInputIsAClearError) {
  dataset::Dataset wrong_shape;
  wrong_shape.sample_shape = {28, 28};
  wrong_shape.samples.assign(3, std::vector<float>(784, 0.0f));
  EXPECT_NE(error_of(wrong_shape, kws_options()).find("data samples are [28,28] (784 values) but the float model's input is"),
            std::string::npos)
      << error_of(wrong_shape, kws_options());

  dataset::Dataset data = kws_data(4, 5);
  data.labels = {1, 2, 3};
  EXPECT_EQ(error_of(data, kws_options()), "3 labels for 4 samples");
  data.labels = {1, 2, 12, 0};
  EXPECT_EQ(error_of(data, kws_options()), "label 12 of sample 2 is outside the model's 12 classes");

  dataset::Dataset empty;
  empty.description = "nothing";
  EXPECT_NE(error_of(empty, kws_options()).find("no samples"), std::string::npos);

  ValidateOptions missing = kws_options();
  missing.int8_model = "/nonexistent/model.tflite";
  EXPECT_NE(error_of(kws_data(2, 6), missing).find("/nonexistent/model.tflite"), std::string::npos);

  ValidateOptions not_a_model = kws_options();
  not_a_model.int8_model = test::temp_file("junk.tflite", std::vector<uint8_t>(100, 7));
  EXPECT_NE(error_of(kws_data(2, 6), not_a_model), "(no error)");
}

}  // namespace
}  // namespace kiln::validate
