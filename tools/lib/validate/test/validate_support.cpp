#include "validate_support.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <random>

#include "kiln/host/file_io.h"
#include "kiln/host/model_file.h"
#include "kiln/host/real_values.h"
#include "kiln/quant/quantize.h"
#include "model_runner.h"
#include "testdata.h"

namespace kiln::validate::test {

std::string kws_float() { return kiln::testing::testdata_path("models/mlperf-tiny/kws_ref_model_float32.tflite"); }
std::string kws_int8() { return kiln::testing::testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite"); }

std::string kws_kiln_int8() {
  static const std::string path = [] {
    quant::QuantizeOptions o;
    const std::vector<uint8_t> bytes = quant::quantize(host::read_file_bytes(kws_float()), kws_data(100, 99), o);
    return temp_file("kws_kiln_int8.tflite", bytes);
  }();
  return path;
}

dataset::Dataset kws_data(size_t n, uint32_t seed) {
  const host::LoadedModel m(kws_int8());
  const auto q = host::tensor_quant(m, static_cast<uint32_t>(m.model().inputs()[0]));
  dataset::Dataset d;
  d.sample_shape = {49, 10, 1};
  d.description = "random KWS features";
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(-128, 127);
  for (size_t s = 0; s < n; ++s) {
    std::vector<float> v(490);
    for (float& x : v) x = static_cast<float>((byte(rng) - q->zero_point) * q->scale);
    d.samples.push_back(v);
  }
  return d;
}

std::vector<uint8_t> with_scaled_tensor(const std::vector<uint8_t>& bytes, uint32_t tensor, float factor) {
  const host::AlignedBuffer aligned(bytes);
  model::Model m;
  Diag diag;
  if (m.load(aligned.data(), aligned.size(), diag) != Status::kOk) return {};
  const model::Quantization q = m.tensor(tensor).quant;
  if (q.scale.size() != 1) return {};
  const size_t offset = static_cast<size_t>(q.scale.bytes() - aligned.data());
  std::vector<uint8_t> out = bytes;
  float scale;
  std::memcpy(&scale, out.data() + offset, 4);
  scale *= factor;
  std::memcpy(out.data() + offset, &scale, 4);
  return out;
}

std::string temp_file(const std::string& name, const std::vector<uint8_t>& bytes) {
  const auto dir = std::filesystem::temp_directory_path() / ("kiln-validate-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  host::write_file_bytes(path, bytes);
  return path;
}

Batch HostTarget::run(const Batch& inputs, const std::function<void(size_t, size_t)>& progress) {
  kiln::testing::ModelRunner runner(model_);
  if (runner.status() != Status::kOk) throw std::runtime_error(runner.message());
  Batch out;
  for (size_t s = 0; s < inputs.size(); ++s) {
    runner.interpreter().reset_state();
    for (uint32_t i = 0; i < inputs[s].size(); ++i) runner.set_input(i, inputs[s][i]);
    if (runner.invoke() != Status::kOk) throw std::runtime_error(runner.message());
    std::vector<std::vector<uint8_t>> outputs;
    for (uint32_t i = 0; i < runner.interpreter().output_count(); ++i) outputs.push_back(runner.output_bytes(i));
    if (static_cast<int64_t>(s) == corrupt_sample) outputs[0][0] ^= 0x01;
    out.push_back(outputs);
    if (progress) progress(s + 1, inputs.size());
  }
  return out;
}

}  // namespace kiln::validate::test
