// Shared by the validate tests: data sets for the MLPerf Tiny KWS pair, a
// scale corrupter for int8 models, temp files and a stand-in target.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/dataset/dataset.h"
#include "kiln/validate/validate.h"

namespace kiln::validate::test {

std::string kws_float();
std::string kws_int8();
// The KWS float model quantized by kiln (min/max calibration on 100 samples
// of kws_data), written once per test process. MLPerf's own int8 model was
// calibrated on real speech features, far from random test inputs.
std::string kws_kiln_int8();

// n samples of KWS features: random int8 values of the int8 model's input,
// as the reals they stand for (so both models see the same numbers).
dataset::Dataset kws_data(size_t n, uint32_t seed);

// A copy of `model` with tensor `tensor`'s (per-tensor) scale multiplied by factor.
std::vector<uint8_t> with_scaled_tensor(const std::vector<uint8_t>& model, uint32_t tensor, float factor);

// A file under the test's temp dir, removed by the OS eventually.
std::string temp_file(const std::string& name, const std::vector<uint8_t>& bytes);

// Stage 3 stand-in: the device interpreter on the host, optionally flipping
// one byte of one sample's output.
class HostTarget : public Int8Target {
 public:
  int64_t corrupt_sample = -1;
  std::string describe() const override { return "host stand-in"; }
  void load(const std::vector<uint8_t>& model) override { model_ = model; }
  Batch run(const Batch& inputs, const std::function<void(size_t, size_t)>& progress) override;
  uint64_t instructions() override { return 1234; }
  uint64_t cycles() override { return 5678; }

 private:
  std::vector<uint8_t> model_;
};

}  // namespace kiln::validate::test
