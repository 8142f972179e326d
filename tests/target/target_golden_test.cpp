// The device core on the emulated RISC-V board (rv32imac, QEMU virt) must
// produce the same bytes as TensorFlow Lite Micro's reference kernels: the
// firmware-drift wall, tested on every run of `make test`.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "qemu_probe.h"
#include "testdata.h"

namespace kiln::testing {
namespace {

struct TargetCase {
  const char* model;
  const char* golden;
  const char* input;   // file in the golden folder
  const char* output;
  bool is_float;
};

// Readable parameters in test logs (instead of the struct's raw bytes).
void PrintTo(const TargetCase& c, std::ostream* os) { *os << c.model << " on " << c.input; }

class TargetGolden : public ::testing::TestWithParam<TargetCase> {};

TEST_P(TargetGolden, Rv32ImacMatchesTflmReference) {
  const TargetCase& c = GetParam();
  const std::string dir = testdata_path(std::string("models/golden/") + c.golden + "/");
  const std::string out_path =
      (std::filesystem::temp_directory_path() / (std::string("kiln_target_") + c.golden + "_" + c.output)).string();
  std::filesystem::remove(out_path);
  std::string why;
  const auto result = target::run_probe(KILN_PROBE_ELF, testdata_path(std::string("models/") + c.model),
                                        dir + c.input, &why, out_path);
  ASSERT_TRUE(result.has_value()) << why;
  EXPECT_GT(result->get("invoke_instret"), 0u);
  EXPECT_GT(result->get("arena_required"), 0u);
  const std::vector<uint8_t> got = read_file(out_path);
  const std::vector<uint8_t> want = read_file(dir + c.output);
  ASSERT_EQ(got.size(), want.size());
  if (!c.is_float) {
    EXPECT_EQ(got, want);
    return;
  }
  for (size_t i = 0; i < got.size() / 4; ++i) {
    float g, w;
    std::memcpy(&g, &got[4 * i], 4);
    std::memcpy(&w, &want[4 * i], 4);
    EXPECT_NEAR(g, w, 1e-5 * std::max(1.0f, std::fabs(w))) << "element " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, TargetGolden,
    ::testing::Values(
        TargetCase{"tflm/hello_world_int8.tflite", "hello_world_int8", "input_0.bin", "output_0.bin", false},
        TargetCase{"tflm/hello_world_float.tflite", "hello_world_float", "input_1.bin", "output_1.bin", true},
        TargetCase{"tflm/micro_speech_quantized.tflite", "micro_speech_quantized", "input_2.bin", "output_2.bin", false},
        TargetCase{"tflm/keyword_scrambled_8bit.tflite", "keyword_scrambled_8bit", "input_0.bin", "output_0.bin", false},
        TargetCase{"tflm/person_detect.tflite", "person_detect", "input_person.bin", "output_person.bin", false},
        TargetCase{"tflm/person_detect.tflite", "person_detect", "input_no_person.bin", "output_no_person.bin", false},
        TargetCase{"mlperf-tiny/kws_ref_model_int8.tflite", "kws_ref_model_int8", "input_3.bin", "output_3.bin", false},
        TargetCase{"mlperf-tiny/ad01_int8.tflite", "ad01_int8", "input_4.bin", "output_4.bin", false},
        TargetCase{"mlperf-tiny/ad01_fp32.tflite", "ad01_fp32", "input_0.bin", "output_0.bin", true}),
    [](const ::testing::TestParamInfo<TargetCase>& info) {
      std::string name = std::string(info.param.golden) + "_" + info.param.input;
      for (char& ch : name) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

}  // namespace
}  // namespace kiln::testing
