// Test helper: runs a float or int8 model on float samples and returns float
// outputs (int8 inputs quantized, int8 outputs dequantized with the tensors'
// own parameters), so float and int8 models compare on the same footing.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "kiln/dataset/dataset.h"
#include "model_runner.h"

namespace kiln::quant::test {

class FloatRunner {
 public:
  explicit FloatRunner(const std::vector<uint8_t>& model) : runner_(model) {}
  bool ok() const { return runner_.status() == Status::kOk; }
  std::string message() const { return runner_.message(); }

  std::vector<float> run(const std::vector<float>& sample) {
    runtime::Interpreter& in = runner_.interpreter();
    const model::TensorView ti = runner_.model().tensor(static_cast<uint32_t>(in.input_tensor_index(0)));
    host::TensorSpec spec{"in", ti.type, {}};
    for (uint32_t d = 0; d < ti.rank(); ++d) spec.shape.push_back(ti.shape[d]);
    const float scale = ti.quant.present() ? ti.quant.scale[0] : 1.0f;
    const int32_t zp = ti.quant.present() ? static_cast<int32_t>(ti.quant.zero_point[0]) : 0;
    EXPECT_TRUE(runner_.set_input(0, dataset::to_input_bytes(sample, spec, scale, zp)));
    EXPECT_EQ(runner_.invoke(), Status::kOk) << runner_.message();
    const model::TensorView to = runner_.model().tensor(static_cast<uint32_t>(in.output_tensor_index(0)));
    const std::vector<uint8_t> bytes = runner_.output_bytes(0);
    std::vector<float> out;
    if (to.type == model::TensorType::kFloat32) {
      out.resize(bytes.size() / 4);
      std::memcpy(out.data(), bytes.data(), bytes.size());
    } else {
      for (uint8_t b : bytes) {
        out.push_back((static_cast<float>(static_cast<int8_t>(b)) - static_cast<float>(to.quant.zero_point[0])) *
                      to.quant.scale[0]);
      }
    }
    return out;
  }

 private:
  testing::ModelRunner runner_;
};

inline size_t argmax(const std::vector<float>& v) {
  size_t best = 0;
  for (size_t i = 1; i < v.size(); ++i) {
    if (v[i] > v[best]) best = i;
  }
  return best;
}

}  // namespace kiln::quant::test
