// Every seanet 16x8 reference layer (testdata/models/tflm/seanet/<op>/) must
// reproduce TensorFlow Lite's golden output exactly.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <regex>

#include "model_runner.h"

namespace kiln::testing {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> to_tensor_bytes(const std::vector<int64_t>& values, model::TensorType type) {
  const size_t width = model::tensor_type_size(type);
  std::vector<uint8_t> bytes(values.size() * width);
  for (size_t i = 0; i < values.size(); ++i) {
    const int64_t v = values[i];
    std::memcpy(bytes.data() + i * width, &v, width);  // little-endian truncation
  }
  return bytes;
}

std::vector<int64_t> from_tensor_bytes(const std::vector<uint8_t>& bytes, model::TensorType type) {
  std::vector<int64_t> values;
  const size_t width = model::tensor_type_size(type);
  for (size_t i = 0; i + width <= bytes.size(); i += width) {
    switch (type) {
      case model::TensorType::kInt8: values.push_back(static_cast<int8_t>(bytes[i])); break;
      case model::TensorType::kInt16: { int16_t v; std::memcpy(&v, &bytes[i], 2); values.push_back(v); break; }
      case model::TensorType::kInt32: { int32_t v; std::memcpy(&v, &bytes[i], 4); values.push_back(v); break; }
      default: { int64_t v; std::memcpy(&v, &bytes[i], 8); values.push_back(v); break; }
    }
  }
  return values;
}

std::vector<std::string> seanet_models() {
  std::vector<std::string> out;
  for (const auto& dir : fs::directory_iterator(testdata_path("models/tflm/seanet"))) {
    for (const auto& f : fs::directory_iterator(dir.path())) {
      if (f.path().extension() == ".tflite") out.push_back(f.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "<op>N_<role>_<type>.csv" beside the model, e.g. add3_input1_int16.csv.
std::string companion(const std::string& model_path, const std::string& role) {
  const fs::path p(model_path);
  const std::string stem = p.stem().string();
  for (const auto& f : fs::directory_iterator(p.parent_path())) {
    const std::string name = f.path().filename().string();
    if (name.rfind(stem + "_" + role + "_", 0) == 0 && f.path().extension() == ".csv") return f.path().string();
  }
  return "";
}

class Seanet : public ::testing::TestWithParam<std::string> {};

TEST_P(Seanet, ReproducesGoldenOutputExactly) {
  const std::string path = GetParam();
  auto runner = ModelRunner::from_file(path);
  ASSERT_EQ(runner->status(), Status::kOk) << runner->message();
  runtime::Interpreter& interp = runner->interpreter();
  for (uint32_t i = 0; i < interp.input_count(); ++i) {
    const std::string csv = companion(path, "input" + std::to_string(i));
    ASSERT_FALSE(csv.empty()) << "no input" << i << " csv for " << path;
    const auto values = read_csv_integers(csv);
    ASSERT_TRUE(runner->set_input(i, to_tensor_bytes(values, interp.input(i)->type)))
        << "input " << i << " has " << values.size() << " values";
  }
  ASSERT_EQ(runner->invoke(), Status::kOk) << runner->message();
  const std::string golden = companion(path, "golden");
  ASSERT_FALSE(golden.empty());
  const auto want = read_csv_integers(golden);
  const auto got = from_tensor_bytes(runner->output_bytes(0), interp.output(0)->type);
  ASSERT_EQ(got.size(), want.size());
  size_t mismatches = 0;
  for (size_t i = 0; i < got.size(); ++i) mismatches += got[i] != want[i];
  EXPECT_EQ(mismatches, 0u) << "first difference at "
                            << (std::mismatch(got.begin(), got.end(), want.begin()).first - got.begin());
}

INSTANTIATE_TEST_SUITE_P(Layers, Seanet, ::testing::ValuesIn(seanet_models()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return fs::path(info.param).stem().string();
                         });

TEST(SeanetSet, HasEveryReferenceOperator) {
  std::set<std::string> ops;
  for (const auto& m : seanet_models()) ops.insert(fs::path(m).parent_path().filename().string());
  EXPECT_EQ(ops, (std::set<std::string>{"add", "conv", "leaky_relu", "pad", "quantize",
                                        "strided_slice", "sub", "transpose_conv"}));
  EXPECT_EQ(seanet_models().size(), 127u);
}

}  // namespace
}  // namespace kiln::testing
