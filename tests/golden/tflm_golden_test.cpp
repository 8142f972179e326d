// Real models against the outputs of TensorFlow Lite Micro's reference
// kernels (testdata/models/golden): int8 byte for byte, float within 1e-5.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "model_runner.h"

namespace kiln::testing {
namespace {

struct GoldenCase {
  const char* model;   // under testdata/models
  const char* golden;  // folder under testdata/models/golden
};

void expect_float_close(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size() / 4; ++i) {
    float g = 0, w = 0;
    std::memcpy(&g, got.data() + 4 * i, 4);
    std::memcpy(&w, want.data() + 4 * i, 4);
    EXPECT_NEAR(g, w, 1e-5 * std::max(1.0f, std::fabs(w))) << "element " << i;
  }
}

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.model; }

class TflmGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(TflmGolden, MatchesReferenceOutputs) {
  const GoldenCase& c = GetParam();
  auto runner = ModelRunner::from_file(testdata_path(std::string("models/") + c.model));
  ASSERT_EQ(runner->status(), Status::kOk) << runner->message();
  const bool is_float = runner->interpreter().output(0)->type == model::TensorType::kFloat32;
  for (int k = 0; k < 5; ++k) {
    const std::string dir = testdata_path(std::string("models/golden/") + c.golden + "/");
    ASSERT_TRUE(runner->set_input(0, read_file(dir + "input_" + std::to_string(k) + ".bin")));
    ASSERT_EQ(runner->invoke(), Status::kOk) << runner->message();
    const std::vector<uint8_t> want = read_file(dir + "output_" + std::to_string(k) + ".bin");
    if (is_float) {
      expect_float_close(runner->output_bytes(0), want);
    } else {
      EXPECT_EQ(runner->output_bytes(0), want) << c.golden << " input " << k;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, TflmGolden,
    ::testing::Values(GoldenCase{"tflm/hello_world_int8.tflite", "hello_world_int8"},
                      GoldenCase{"tflm/hello_world_float.tflite", "hello_world_float"},
                      GoldenCase{"tflm/micro_speech_quantized.tflite", "micro_speech_quantized"},
                      GoldenCase{"tflm/keyword_scrambled_8bit.tflite", "keyword_scrambled_8bit"},
                      GoldenCase{"mlperf-tiny/kws_ref_model_int8.tflite", "kws_ref_model_int8"},
                      GoldenCase{"mlperf-tiny/ad01_int8.tflite", "ad01_int8"},
                      GoldenCase{"mlperf-tiny/ad01_fp32.tflite", "ad01_fp32"}),
    [](const ::testing::TestParamInfo<GoldenCase>& info) { return std::string(info.param.golden); });

// The upstream person_detect test: person.bmp must score "person" higher, and
// kiln must reproduce TFLM's exact scores.
TEST(PersonDetect, RanksBothImagesAsUpstreamAndMatchesTflmBytes) {
  auto runner = ModelRunner::from_file(testdata_path("models/tflm/person_detect.tflite"));
  ASSERT_EQ(runner->status(), Status::kOk) << runner->message();
  const std::string dir = testdata_path("models/golden/person_detect/");
  for (const char* which : {"person", "no_person"}) {
    ASSERT_TRUE(runner->set_input(0, read_file(dir + "input_" + which + ".bin")));
    ASSERT_EQ(runner->invoke(), Status::kOk) << runner->message();
    const std::vector<uint8_t> out = runner->output_bytes(0);
    ASSERT_EQ(out.size(), 2u);
    const int8_t no_person = static_cast<int8_t>(out[0]), person = static_cast<int8_t>(out[1]);
    if (std::string(which) == "person") {
      EXPECT_GT(person, no_person);
      EXPECT_EQ(person, 113);
      EXPECT_EQ(no_person, -113);
    } else {
      EXPECT_GT(no_person, person);
      EXPECT_EQ(no_person, 57);
      EXPECT_EQ(person, -57);
    }
    EXPECT_EQ(out, read_file(dir + "output_" + which + ".bin"));
  }
}

}  // namespace
}  // namespace kiln::testing
