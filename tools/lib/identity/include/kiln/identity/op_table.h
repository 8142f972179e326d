// Which kernel registration (kiln::runtime::ops::<fn>()) serves a TFLite
// builtin operator. Generated operator tables name only these functions, so a
// firmware links the kernels its model uses and no others.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::identity {

// "conv_2d" for CONV_2D...; "" when kiln's runtime has no kernel for `code`.
std::string kernel_function(int32_t code);

// Every builtin code kiln implements, ascending (the same set as all_ops()).
std::vector<int32_t> supported_ops();

}  // namespace kiln::identity
