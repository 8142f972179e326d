// NumPy .npy files (format versions 1.0, 2.0 and 3.0), C order.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/scalar.h"
#include "kiln/host/tensor_spec.h"

namespace kiln::host {

struct NpyHeader {
  model::TensorType dtype = model::TensorType::kFloat32;
  bool big_endian = false;
  bool fortran_order = false;
  std::vector<int64_t> shape;
  size_t data_offset = 0;  // where the array bytes start in the file
};

// Parses and validates the header; throws ToolError on anything malformed.
NpyHeader parse_npy_header(const std::vector<uint8_t>& file);

// The array converted to `spec` (element count must match; shapes may
// differ). `what` names the source in messages.
std::vector<uint8_t> npy_to_tensor(const std::vector<uint8_t>& file, const TensorSpec& spec,
                                   const ConvertPolicy& policy, const std::string& what);

// A version 1.0 file holding `data` with the tensor's dtype and shape.
std::vector<uint8_t> tensor_to_npy(const TensorSpec& spec, const std::vector<uint8_t>& data);

}  // namespace kiln::host
