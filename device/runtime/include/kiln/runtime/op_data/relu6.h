// Prepared data of RELU6: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>


namespace kiln::runtime::ops {

struct Relu6Data {
  int32_t lower = 0;
  int32_t upper = 0;
};

}  // namespace kiln::runtime::ops
