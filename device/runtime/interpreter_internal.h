// Records the interpreter keeps per operator and per scratch buffer, in the
// arena's persistent region. Private to the runtime.
#pragma once
#include "kiln/runtime/interpreter.h"

namespace kiln::runtime {

// 44 bytes on rv32 (TFLM: ~56 per operator). One scratch buffer per op:
// a kernel that needs several carves them out of one request.
struct Interpreter::OpRecord {
  const KernelRegistration* kernel;
  void* op_data;
  model::Vec<int32_t> inputs;   // zero-copy views into the model
  model::Vec<int32_t> outputs;
  uint32_t macs;
  uint32_t scratch_size;        // 0 = none
  uint32_t scratch_offset;      // into the planned region
};

inline size_t align_up(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }
inline size_t align_down(size_t v, size_t a) { return v & ~(a - 1); }

}  // namespace kiln::runtime
