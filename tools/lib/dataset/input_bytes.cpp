// Float samples into model input bytes, quantized exactly as TFLite's
// QUANTIZE op does (float32 division, round half away from zero, saturate).
#include <cmath>
#include <cstring>
#include <limits>

#include "kiln/dataset/dataset.h"
#include "kiln/host/error.h"
#include "kiln/host/real_values.h"

namespace kiln::dataset {

using host::fail;
using model::TensorType;

namespace {

void check_count(const std::vector<float>& sample, const host::TensorSpec& input) {
  if (sample.size() != input.element_count()) {
    fail("sample has " + std::to_string(sample.size()) + " values but input " + host::describe(input) +
         " takes " + std::to_string(input.element_count()));
  }
}

template <typename T>
std::vector<uint8_t> quantize_as(const std::vector<float>& sample, float scale, int32_t zero_point) {
  std::vector<uint8_t> out(sample.size() * sizeof(T));
  for (size_t i = 0; i < sample.size(); ++i) {
    const float q = std::round(sample[i] / scale);
    // Clamp in float first: a huge value must not overflow the int conversion.
    const float lo = static_cast<float>(std::numeric_limits<T>::min()) - static_cast<float>(zero_point);
    const float hi = static_cast<float>(std::numeric_limits<T>::max()) - static_cast<float>(zero_point);
    const int32_t v = static_cast<int32_t>(q < lo ? lo : (q > hi ? hi : q)) + zero_point;
    const T t = static_cast<T>(v);
    std::memcpy(out.data() + i * sizeof(T), &t, sizeof(T));
  }
  return out;
}

}  // namespace

std::vector<uint8_t> to_input_bytes(const std::vector<float>& sample, const host::TensorSpec& input) {
  check_count(sample, input);
  if (input.type != TensorType::kFloat32) {
    fail("input " + host::describe(input) +
         " is quantized: its scale and zero point are needed (use the model's tensor)");
  }
  std::vector<uint8_t> out(sample.size() * sizeof(float));
  if (!out.empty()) std::memcpy(out.data(), sample.data(), out.size());
  return out;
}

std::vector<uint8_t> to_input_bytes(const std::vector<float>& sample, const host::TensorSpec& input,
                                    float scale, int32_t zero_point) {
  check_count(sample, input);
  if (!(scale > 0.0f) || !std::isfinite(scale)) {
    fail("input " + host::describe(input) + " has an invalid scale " + std::to_string(scale));
  }
  switch (input.type) {
    case TensorType::kFloat32: return to_input_bytes(sample, input);
    case TensorType::kInt8: return quantize_as<int8_t>(sample, scale, zero_point);
    case TensorType::kUInt8: return quantize_as<uint8_t>(sample, scale, zero_point);
    case TensorType::kInt16: return quantize_as<int16_t>(sample, scale, zero_point);
    default: fail("input " + host::describe(input) + ": samples cannot be converted to this type");
  }
}

std::vector<uint8_t> to_input_bytes(const std::vector<float>& sample, const host::LoadedModel& model,
                                    uint32_t tensor_index) {
  const host::TensorSpec spec = model.spec(tensor_index);
  if (spec.type == TensorType::kFloat32) return to_input_bytes(sample, spec);
  const auto q = host::tensor_quant(model, tensor_index);
  if (!q) fail("input " + host::describe(spec) + " has no quantization parameters");
  return to_input_bytes(sample, spec, static_cast<float>(q->scale), static_cast<int32_t>(q->zero_point));
}

}  // namespace kiln::dataset
