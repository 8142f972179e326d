// Prepared data of DEQUANTIZE: what prepare() computes and invoke() reads.
// Public so the ahead-of-time compiler (tools/lib/aot) can emit it as constants.
#pragma once
#include <stdint.h>


namespace kiln::runtime::ops {

struct DequantizeData {
  float scale = 0.0f;
  int32_t zero_point = 0;
};

}  // namespace kiln::runtime::ops
