// Thousands of mutated and truncated real models through reader, init and
// invoke. Run under ASan/UBSan (make test): any out-of-bounds access or UB
// aborts the test. Seeded, so a failure reproduces.
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <random>

#include "fuzz_one.h"
#include "testdata.h"

namespace kiln::fuzz {
namespace {

std::vector<uint8_t> mutate(const std::vector<uint8_t>& seed, std::mt19937& rng) {
  std::vector<uint8_t> m = seed;
  const uint32_t interesting[] = {0u, 1u, 0xFFu, 0x7FFFFFFFu, 0xFFFFFFFFu, 0x80000000u,
                                  static_cast<uint32_t>(seed.size()), 0x10000u};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !m.empty(); ++e) {
    const size_t pos = rng() % m.size();
    switch (rng() % 4) {
      case 0: m[pos] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
      case 1: m[pos] = static_cast<uint8_t>(rng()); break;
      case 2:
        if (pos + 4 <= m.size()) {
          const uint32_t v = interesting[rng() % (sizeof(interesting) / sizeof(interesting[0]))];
          std::memcpy(&m[pos], &v, 4);
        }
        break;
      default: m.resize(pos); break;  // truncation
    }
  }
  return m;
}

class ModelFuzz : public ::testing::TestWithParam<const char*> {};

TEST_P(ModelFuzz, MutatedModelsNeverCrash) {
  const auto seed = kiln::testing::read_file(kiln::testing::testdata_path(std::string("models/") + GetParam()));
  ASSERT_FALSE(seed.empty());
  // The unmutated seed must run: otherwise the mutations test nothing.
  const FuzzOutcome clean = run_model_bytes(seed.data(), seed.size());
  ASSERT_EQ(clean.load, Status::kOk);
  ASSERT_EQ(clean.init, Status::kOk);
  ASSERT_EQ(clean.invoke, Status::kOk);
  std::mt19937 rng(0x6B696C6E);  // "kiln"
  int rejected = 0, invoked = 0;
  constexpr int kIterations = 1500;
  for (int i = 0; i < kIterations; ++i) {
    const auto m = mutate(seed, rng);
    const FuzzOutcome o = run_model_bytes(m.data(), m.size());
    rejected += (o.load != Status::kOk || o.init != Status::kOk);
    invoked += o.invoked;
  }
  // Both paths must be exercised: some mutants rejected, some run to the end.
  EXPECT_GT(rejected, 0);
  EXPECT_GT(invoked, 0);
  RecordProperty("rejected", rejected);
  RecordProperty("invoked", invoked);
}

TEST_P(ModelFuzz, EveryPrefixIsRejectedOrRunsSafely) {
  const auto seed = kiln::testing::read_file(kiln::testing::testdata_path(std::string("models/") + GetParam()));
  const size_t step = seed.size() / 400 + 1;
  int accepted = 0;
  for (size_t n = 0; n < seed.size(); n += step) {
    accepted += run_model_bytes(seed.data(), n).load == Status::kOk;
  }
  // A TFLite file's root tables sit at its end: no strict prefix is a model.
  EXPECT_EQ(accepted, 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ModelFuzz,
                         ::testing::Values("tflm/hello_world_int8.tflite", "tflm/hello_world_float.tflite",
                                           "tflm/micro_speech_quantized.tflite",
                                           "tflm/keyword_scrambled_8bit.tflite",
                                           "mlperf-tiny/ad01_int8.tflite", "mlperf-tiny/kws_ref_model_int8.tflite",
                                           "tflm/seanet/conv/conv0.tflite", "tflm/seanet/add/add0.tflite",
                                           "tflm/seanet/strided_slice/strided_slice0.tflite",
                                           "tflm/seanet/transpose_conv/transpose_conv0.tflite"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string s = info.param;
                           for (char& c : s) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return s;
                         });

}  // namespace
}  // namespace kiln::fuzz
