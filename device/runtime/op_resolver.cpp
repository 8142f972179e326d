#include "kiln/runtime/op_resolver.h"

#include "kiln/runtime/ops.h"

namespace kiln::runtime {

const OpResolver& all_ops() {
  static const KernelRegistration* const kAll[] = {
      &ops::add(),           &ops::average_pool_2d(), &ops::concatenation(), &ops::conv_2d(),
      &ops::depthwise_conv_2d(), &ops::dequantize(),  &ops::fully_connected(), &ops::leaky_relu(),
      &ops::logistic(),      &ops::max_pool_2d(),     &ops::mean(),          &ops::mul(),
      &ops::pad(),           &ops::pad_v2(),          &ops::quantize(),        &ops::relu(),          &ops::relu6(),
      &ops::reshape(),       &ops::softmax(),         &ops::strided_slice(), &ops::sub(),
      &ops::svdf(),          &ops::tanh(),            &ops::transpose_conv(),
  };
  static const OpResolver kResolver(kAll, sizeof(kAll) / sizeof(kAll[0]));
  return kResolver;
}

}  // namespace kiln::runtime
