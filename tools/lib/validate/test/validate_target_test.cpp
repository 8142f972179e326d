// Stage 3 on the emulated board: MLPerf Tiny's anomaly-detection autoencoder
// (ad01, float and the converter's int8 version) on 100 samples through the
// firmware agent on QEMU. INT8 on the target must equal INT8 on the host byte
// for byte, and the board reports instructions per inference.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "kiln/host/model_file.h"
#include "kiln/host/real_values.h"
#include "kiln/validate/target_stage.h"
#include "testdata.h"

namespace kiln::validate {
namespace {

dataset::Dataset ad01_data(const std::string& int8_model, size_t n) {
  const host::LoadedModel m(int8_model);
  const auto q = host::tensor_quant(m, static_cast<uint32_t>(m.model().inputs()[0]));
  dataset::Dataset d;
  d.sample_shape = {640};
  d.description = "random ad01 features";
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> byte(-128, 127);
  for (size_t s = 0; s < n; ++s) {
    std::vector<float> v(640);
    for (float& x : v) x = static_cast<float>((byte(rng) - q->zero_point) * q->scale);
    d.samples.push_back(v);
  }
  return d;
}

TEST(ValidateOnQemu, Stage3EqualsStage2ByteForByte) {
  ASSERT_TRUE(std::filesystem::exists(KILN_AGENT_ELF)) << "agent firmware missing: " << KILN_AGENT_ELF;
  target::SessionOptions so;
  so.firmware = KILN_AGENT_ELF;
  std::unique_ptr<Int8Target> board = open_board(so);
  ValidateOptions o;
  o.float_model = kiln::testing::testdata_path("models/mlperf-tiny/ad01_fp32.tflite");
  o.int8_model = kiln::testing::testdata_path("models/mlperf-tiny/ad01_int8.tflite");
  o.layer_samples = 10;
  o.target = board.get();
  o.board = "qemu-virt-rv32";
  o.classification = false;  // an autoencoder: top-1 means nothing
  const ValidationReport r = run_validation(ad01_data(o.int8_model, 100), o);
  ASSERT_EQ(r.stages.size(), 3u);
  const StageReport& s3 = r.stages[2];
  std::printf("stage 3 on %s: %zu samples in %.2f s, %llu instructions per inference\n", s3.where.c_str(), s3.samples,
              s3.seconds, static_cast<unsigned long long>(s3.instructions));
  EXPECT_EQ(s3.samples, 100u);
  EXPECT_TRUE(s3.compared_bytes);
  EXPECT_EQ(s3.mismatched_samples, 0u);
  EXPECT_EQ(s3.mismatched_bytes, 0u);
  EXPECT_DOUBLE_EQ(s3.drift.mean_abs, r.stages[1].drift.mean_abs);
  // README: ad01_int8 takes about 1.67 M instructions per invoke on rv32imac.
  EXPECT_GT(s3.instructions, 1000000u);
  EXPECT_LT(s3.instructions, 3000000u);
  EXPECT_TRUE(r.gate.passed) << (r.gate.reasons.empty() ? "" : r.gate.reasons[0]);
}

}  // namespace
}  // namespace kiln::validate
