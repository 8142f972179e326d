#include "kiln/host/tensor_spec.h"

#include <limits>

#include "kiln/host/error.h"

namespace kiln::host {

using model::TensorType;

size_t TensorSpec::element_size(TensorType type) {
  switch (type) {
    case TensorType::kBool:
    case TensorType::kInt8:
    case TensorType::kUInt8: return 1;
    case TensorType::kInt16:
    case TensorType::kUInt16:
    case TensorType::kFloat16: return 2;
    case TensorType::kInt32:
    case TensorType::kUInt32:
    case TensorType::kFloat32: return 4;
    case TensorType::kInt64:
    case TensorType::kUInt64:
    case TensorType::kFloat64: return 8;
    default: fail("tensors of type " + type_name(type) + " cannot be read or written");
  }
}

size_t TensorSpec::element_count() const {
  size_t n = 1;
  for (int32_t d : shape) {
    if (d < 0) fail("tensor " + describe(*this) + " has a negative dimension");
    const size_t ud = static_cast<size_t>(d);
    if (ud != 0 && n > std::numeric_limits<size_t>::max() / 16 / ud) {
      fail("tensor " + describe(*this) + " is too large");
    }
    n *= ud;
  }
  return n;
}

std::string type_name(TensorType type) { return model::tensor_type_name(type); }

std::string shape_string(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i != 0) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string describe(const TensorSpec& spec) {
  std::string s = type_name(spec.type) + shape_string(spec.shape);
  return spec.name.empty() ? s : "'" + spec.name + "' " + s;
}

}  // namespace kiln::host
