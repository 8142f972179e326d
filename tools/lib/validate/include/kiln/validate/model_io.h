// A model's single input and its outputs, with the quantization that maps
// their bytes to real values: what every stage needs to feed and read it.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "kiln/host/model_file.h"
#include "kiln/host/real_values.h"
#include "kiln/host/tensor_spec.h"

namespace kiln::validate {

struct TensorIo {
  uint32_t tensor = 0;
  host::TensorSpec spec;
  std::optional<host::AffineQuant> quant;  // none for float tensors
};

struct ModelIo {
  TensorIo input;
  std::vector<TensorIo> outputs;
};

// Throws ToolError when the model has not exactly one input (a data set
// sample feeds one tensor) or no output.
ModelIo model_io(const host::LoadedModel& model);

}  // namespace kiln::validate
