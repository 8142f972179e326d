// The runtime's view of one tensor: 16 bytes on rv32 (TFLM spends ~24).
#pragma once
#include <stdint.h>

#include "kiln/model/schema.h"

namespace kiln::runtime {

struct Tensor {
  enum Flags : uint8_t { kConstant = 1, kVariable = 2, kGraphInput = 4, kGraphOutput = 8 };

  uint8_t* data = nullptr;        // arena, model buffer (constant) or persistent (state)
  const int32_t* dims = nullptr;  // shape, borrowed from the model (checked 4-aligned)
  uint32_t bytes = 0;
  model::TensorType type = model::TensorType::kFloat32;
  uint8_t rank = 0;
  uint8_t flags = 0;

  int32_t dim(uint32_t i) const { return i < rank ? dims[i] : 1; }
  uint32_t elements() const {
    uint32_t n = 1;
    for (uint32_t i = 0; i < rank; ++i) n *= static_cast<uint32_t>(dims[i]);
    return n;
  }
  // The planner and the model loader guarantee alignment for the type; the
  // void* hop tells -Wcast-align so on strict-alignment targets (RISC-V).
  template <typename T>
  T* as() const { return static_cast<T*>(static_cast<void*>(data)); }
  bool is_constant() const { return (flags & kConstant) != 0; }
};

}  // namespace kiln::runtime
