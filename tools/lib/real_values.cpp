#include "kiln/host/real_values.h"

#include <cmath>
#include <limits>

#include "kiln/host/error.h"
#include "kiln/host/scalar.h"

namespace kiln::host {

using model::TensorType;

namespace {

void type_range(TensorType t, double* lo, double* hi) {
  switch (t) {
    case TensorType::kInt8: *lo = -128; *hi = 127; return;
    case TensorType::kUInt8: *lo = 0; *hi = 255; return;
    case TensorType::kInt16: *lo = -32768; *hi = 32767; return;
    case TensorType::kInt32: *lo = -2147483648.0; *hi = 2147483647.0; return;
    default: fail("real values cannot be quantized into a " + type_name(t) + " tensor");
  }
}

}  // namespace

std::optional<AffineQuant> tensor_quant(const LoadedModel& model, uint32_t tensor_index) {
  const model::Quantization& q = model.model().tensor(tensor_index).quant;
  if (!q.present()) return std::nullopt;
  if (q.per_channel()) {
    fail("tensor '" + model.tensor_name(tensor_index) + "' is quantized per channel: no single real mapping");
  }
  AffineQuant a;
  a.scale = static_cast<double>(q.scale[0]);
  a.zero_point = q.zero_point.size() > 0 ? q.zero_point[0] : 0;
  if (!(a.scale > 0.0) || !std::isfinite(a.scale)) {
    fail("tensor '" + model.tensor_name(tensor_index) + "' has an invalid scale");
  }
  return a;
}

std::vector<uint8_t> from_reals(const std::vector<double>& values, const TensorSpec& spec,
                                const std::optional<AffineQuant>& quant) {
  std::vector<uint8_t> out(spec.byte_size());
  if (values.size() != spec.element_count()) fail("internal: value count does not match the tensor");
  ConvertPolicy policy;
  policy.allow_rounding = true;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!quant || (spec.type != TensorType::kInt8 && spec.type != TensorType::kUInt8 &&
                   spec.type != TensorType::kInt16 && spec.type != TensorType::kInt32)) {
      store_scalar(Scalar::real(values[i]), spec.type, out.data(), i, policy, "real input");
      continue;
    }
    double lo = 0, hi = 0;
    type_range(spec.type, &lo, &hi);
    if (!std::isfinite(values[i])) fail("real input: element " + std::to_string(i) + " is not finite");
    const double q = std::round(values[i] / quant->scale) + static_cast<double>(quant->zero_point);
    store_scalar(Scalar::real(std::fmin(hi, std::fmax(lo, q))), spec.type, out.data(), i, policy, "real input");
  }
  return out;
}

std::vector<double> to_reals(const std::vector<uint8_t>& data, const TensorSpec& spec,
                             const std::optional<AffineQuant>& quant) {
  const size_t n = spec.element_count();
  std::vector<double> out(n);
  for (size_t i = 0; i < n; ++i) {
    const Scalar v = load_scalar(spec.type, data.data(), i);
    const double x = v.is_float ? v.f : static_cast<double>(v.i);
    out[i] = quant && !v.is_float ? (x - static_cast<double>(quant->zero_point)) * quant->scale : x;
  }
  return out;
}

}  // namespace kiln::host
