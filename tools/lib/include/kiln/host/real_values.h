// Real numbers to and from quantized tensors (`kiln run --real`), with the
// tensor's per-tensor scale and zero point: q = round(x / scale) + zp.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "kiln/host/model_file.h"
#include "kiln/host/tensor_spec.h"

namespace kiln::host {

struct AffineQuant {
  double scale = 1.0;
  int64_t zero_point = 0;
};

// The tensor's per-tensor quantization; nullopt when it has none. Throws for
// per-channel quantization, which has no single real <-> int mapping.
std::optional<AffineQuant> tensor_quant(const LoadedModel& model, uint32_t tensor_index);

// Real values into tensor bytes: quantized (rounded half away from zero, then
// saturated to the type's range, as TFLite's QUANTIZE) when `quant` is set,
// otherwise stored into the float tensor.
std::vector<uint8_t> from_reals(const std::vector<double>& values, const TensorSpec& spec,
                                const std::optional<AffineQuant>& quant);
// Tensor bytes as real values: (q - zp) * scale when quantized.
std::vector<double> to_reals(const std::vector<uint8_t>& data, const TensorSpec& spec,
                             const std::optional<AffineQuant>& quant);

}  // namespace kiln::host
