// Prepared data of CONCATENATION: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>


namespace kiln::runtime::ops {

struct ConcatData {
  uint32_t inputs = 0;
  uint32_t outer = 1;               // product of output dims before the axis
  uint32_t row_bytes = 0;           // output bytes per outer index
  uint32_t* chunk_bytes = nullptr;  // per input
};

}  // namespace kiln::runtime::ops
