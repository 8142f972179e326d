// What host-side file I/O needs to know about a tensor: its element type and
// shape. Built from a model tensor or written by hand in tests.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/model/schema.h"

namespace kiln::host {

struct TensorSpec {
  std::string name;
  model::TensorType type = model::TensorType::kFloat32;
  std::vector<int32_t> shape;

  // Throws if a dimension is negative or the count overflows.
  size_t element_count() const;
  size_t byte_size() const { return element_count() * element_size(type); }

  // Bytes per element; throws for types a host buffer cannot hold (string...).
  static size_t element_size(model::TensorType type);
};

std::string type_name(model::TensorType type);
// "[1,96,96,1]"
std::string shape_string(const std::vector<int32_t>& shape);
// "int8[1,96,96,1]", with the name when present: "input int8[1,96,96,1]"
std::string describe(const TensorSpec& spec);

}  // namespace kiln::host
