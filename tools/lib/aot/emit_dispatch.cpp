#include "emit_ops.h"

namespace kiln::aot {

void emit_op(Emitter& e, int32_t builtin_code) {
  using Op = model::BuiltinOp;
  switch (static_cast<Op>(builtin_code)) {
    case Op::kConv2d: return emit_conv_2d(e);
    case Op::kDepthwiseConv2d: return emit_depthwise_conv_2d(e);
    case Op::kFullyConnected: return emit_fully_connected(e);
    case Op::kTransposeConv: return emit_transpose_conv(e);
    case Op::kAveragePool2d:
    case Op::kMaxPool2d: return emit_pool_2d(e);
    case Op::kAdd:
    case Op::kSub: return emit_add_sub(e);
    case Op::kMul: return emit_mul(e);
    case Op::kSoftmax: return emit_softmax(e);
    case Op::kReshape: return emit_reshape(e);
    case Op::kQuantize: return emit_quantize(e);
    case Op::kDequantize: return emit_dequantize(e);
    case Op::kConcatenation: return emit_concatenation(e);
    case Op::kPad:
    case Op::kPadV2: return emit_pad(e);
    case Op::kMean: return emit_mean(e);
    case Op::kStridedSlice: return emit_strided_slice(e);
    case Op::kSvdf: return emit_svdf(e);
    case Op::kRelu: return emit_relu(e);
    case Op::kRelu6: return emit_relu6(e);
    case Op::kLeakyRelu: return emit_leaky_relu(e);
    case Op::kLogistic: return emit_logistic_tanh(e, false);
    case Op::kTanh: return emit_logistic_tanh(e, true);
    default: e.unsupported("the ahead-of-time compiler has no emitter for this operator");
  }
}

}  // namespace kiln::aot
