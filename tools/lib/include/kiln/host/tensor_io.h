// Tensor data from and to files, the format chosen by extension:
//   .bin  raw little-endian bytes (size must equal the tensor's bytes)
//   .npy  NumPy array (element count must match; lossless conversion)
//   .csv  / .txt  numbers separated by commas or whitespace
//   .bmp  .pgm    grayscale images for [1,H,W,1] int8/uint8 inputs (read only)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/scalar.h"
#include "kiln/host/tensor_spec.h"

namespace kiln::host {

std::vector<uint8_t> read_tensor_file(const std::string& path, const TensorSpec& spec,
                                      const ConvertPolicy& policy = {});
void write_tensor_file(const std::string& path, const TensorSpec& spec,
                       const std::vector<uint8_t>& data);

}  // namespace kiln::host
