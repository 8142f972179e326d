// The RVV kernels on QEMU with V (kiln_probe_rvv.elf, -cpu rv32,v=true,vlen=128)
// produce TFLite Micro's bytes on the shared int8 models, like the host and
// the rv32imac probe (tests/target); and the optimized kernels equal the
// reference ones on randomized shapes on the target. Registered only when the
// rv32imac cross build is given (KILN_PROBE_ELF).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "qemu_probe.h"
#include "testdata.h"

namespace kiln::testing {
namespace {

struct RvvCase {
  const char* model;
  const char* golden;
  const char* input;
  const char* output;
};

class RvvGolden : public ::testing::TestWithParam<RvvCase> {};

TEST_P(RvvGolden, MatchesTflmReference) {
  const RvvCase& c = GetParam();
  const std::string dir = testdata_path(std::string("models/golden/") + c.golden + "/");
  const std::string out_path =
      (std::filesystem::temp_directory_path() / (std::string("kiln_rvv_") + c.golden + "_" + c.output)).string();
  std::filesystem::remove(out_path);
  std::string why;
  const auto result = target::run_probe(KILN_PROBE_RVV_ELF, testdata_path(std::string("models/") + c.model),
                                        dir + c.input, &why, out_path, "rv32,v=true,vlen=128");
  ASSERT_TRUE(result.has_value()) << why;
  EXPECT_GT(result->get("invoke_instret"), 0u);
  EXPECT_EQ(read_file(out_path), read_file(dir + c.output));
}

// Optimized vs reference kernels on 1,800 randomized shapes, run on the
// target itself: the rv32 assembly loop (rv32imac) and the RVV variant.
void expect_kernels_check(const std::string& elf, const std::string& cpu) {
  std::string why;
  // The check firmware ignores its arguments; run_probe passes a model path.
  const auto result = target::run_probe(elf, "unused", "", &why, "", cpu);
  ASSERT_TRUE(result.has_value()) << why;
  EXPECT_EQ(result->get("cases"), 1800u);
  EXPECT_EQ(result->get("mismatches"), 0u);
}

TEST(KernelsOnTarget, Rv32ImacOptimizedEqualsReferenceOnRandomShapes) {
  expect_kernels_check(KILN_KERNELS_CHECK_ELF, "");
}

TEST(KernelsOnTarget, RvvOptimizedEqualsReferenceOnRandomShapes) {
  expect_kernels_check(KILN_KERNELS_CHECK_RVV_ELF, "rv32,v=true,vlen=128");
}

// The vector requantization alone, value by value against the scalar one.
TEST(KernelsOnTarget, RvvRequantizationEqualsScalarOn200kValues) {
  std::string why;
  const auto result = target::run_probe(KILN_KERNELS_CHECK_RVV_ELF, "unused", "", &why, "", "rv32,v=true,vlen=128");
  ASSERT_TRUE(result.has_value()) << why;
  EXPECT_GT(result->get("requant_values"), 200000u);
  EXPECT_EQ(result->get("requant_mismatches"), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Models, RvvGolden,
    ::testing::Values(
        RvvCase{"tflm/person_detect.tflite", "person_detect", "input_person.bin", "output_person.bin"},
        RvvCase{"tflm/person_detect.tflite", "person_detect", "input_no_person.bin", "output_no_person.bin"},
        RvvCase{"mlperf-tiny/kws_ref_model_int8.tflite", "kws_ref_model_int8", "input_3.bin", "output_3.bin"},
        RvvCase{"mlperf-tiny/ad01_int8.tflite", "ad01_int8", "input_4.bin", "output_4.bin"},
        RvvCase{"tflm/micro_speech_quantized.tflite", "micro_speech_quantized", "input_2.bin", "output_2.bin"},
        RvvCase{"tflm/keyword_scrambled_8bit.tflite", "keyword_scrambled_8bit", "input_0.bin", "output_0.bin"}),
    [](const ::testing::TestParamInfo<RvvCase>& info) {
      std::string name = std::string(info.param.golden) + "_" + info.param.input;
      for (char& ch : name) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

}  // namespace
}  // namespace kiln::testing
