#include "kiln/identity/op_table.h"

#include <algorithm>
#include <map>

#include "kiln/model/schema.h"
#include "kiln/runtime/op_resolver.h"

namespace kiln::identity {

namespace {

using model::BuiltinOp;

// One row per function in kiln/runtime/ops.h.
const std::map<BuiltinOp, const char*>& functions() {
  static const std::map<BuiltinOp, const char*> table = {
      {BuiltinOp::kAdd, "add"},
      {BuiltinOp::kAveragePool2d, "average_pool_2d"},
      {BuiltinOp::kConcatenation, "concatenation"},
      {BuiltinOp::kConv2d, "conv_2d"},
      {BuiltinOp::kDepthwiseConv2d, "depthwise_conv_2d"},
      {BuiltinOp::kDequantize, "dequantize"},
      {BuiltinOp::kFullyConnected, "fully_connected"},
      {BuiltinOp::kLeakyRelu, "leaky_relu"},
      {BuiltinOp::kLogistic, "logistic"},
      {BuiltinOp::kMaxPool2d, "max_pool_2d"},
      {BuiltinOp::kMean, "mean"},
      {BuiltinOp::kMul, "mul"},
      {BuiltinOp::kPad, "pad"},
      {BuiltinOp::kPadV2, "pad_v2"},
      {BuiltinOp::kQuantize, "quantize"},
      {BuiltinOp::kRelu, "relu"},
      {BuiltinOp::kRelu6, "relu6"},
      {BuiltinOp::kReshape, "reshape"},
      {BuiltinOp::kSoftmax, "softmax"},
      {BuiltinOp::kStridedSlice, "strided_slice"},
      {BuiltinOp::kSub, "sub"},
      {BuiltinOp::kSvdf, "svdf"},
      {BuiltinOp::kTanh, "tanh"},
      {BuiltinOp::kTransposeConv, "transpose_conv"},
  };
  return table;
}

bool runtime_has(int32_t code) { return runtime::all_ops().find(code) != nullptr; }

}  // namespace

std::string kernel_function(int32_t code) {
  const auto it = functions().find(static_cast<BuiltinOp>(code));
  // Both tables must agree: a name without a kernel would not link.
  return it != functions().end() && runtime_has(code) ? it->second : "";
}

std::vector<int32_t> supported_ops() {
  std::vector<int32_t> codes;
  for (const auto& [op, name] : functions()) {
    if (runtime_has(static_cast<int32_t>(op))) codes.push_back(static_cast<int32_t>(op));
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

}  // namespace kiln::identity
