// Every kernel kiln ships, one registration per builtin operator. A firmware
// links only the ones its resolver names (see op_resolver.h).
#pragma once
#include "kiln/runtime/kernel.h"

namespace kiln::runtime::ops {

const KernelRegistration& add();
const KernelRegistration& average_pool_2d();
const KernelRegistration& concatenation();
const KernelRegistration& conv_2d();
const KernelRegistration& depthwise_conv_2d();
const KernelRegistration& dequantize();
const KernelRegistration& fully_connected();
const KernelRegistration& leaky_relu();
const KernelRegistration& logistic();
const KernelRegistration& max_pool_2d();
const KernelRegistration& mean();
const KernelRegistration& mul();
const KernelRegistration& pad();
const KernelRegistration& pad_v2();
const KernelRegistration& quantize();
const KernelRegistration& relu();
const KernelRegistration& relu6();
const KernelRegistration& reshape();
const KernelRegistration& softmax();
const KernelRegistration& strided_slice();
const KernelRegistration& sub();
const KernelRegistration& svdf();
const KernelRegistration& tanh();
const KernelRegistration& transpose_conv();

}  // namespace kiln::runtime::ops
