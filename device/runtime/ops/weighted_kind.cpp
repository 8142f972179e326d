#include "weighted_kind.h"

#include "kiln/runtime/op_util.h"

namespace kiln::runtime::ops {

using model::TensorType;

WeightedKind weighted_kind(TensorType input, TensorType weights) {
  if (input == TensorType::kFloat32) {
    return weights == TensorType::kInt8 ? WeightedKind::kHybrid : WeightedKind::kFloat;
  }
  return input == TensorType::kInt16 ? WeightedKind::k16x8 : WeightedKind::kInt8;
}

Status check_weighted_types(PrepareContext& ctx, WeightedKind kind, int32_t channels, WeightedInputs at) {
  const Tensor* in = ctx.input(at.input);
  if (in->type != TensorType::kFloat32 && in->type != TensorType::kInt8 && in->type != TensorType::kInt16) {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported", model::tensor_type_name(in->type));
  }
  const TensorType weights = kind == WeightedKind::kFloat ? TensorType::kFloat32 : TensorType::kInt8;
  const TensorType bias = kind == WeightedKind::kInt8   ? TensorType::kInt32
                          : kind == WeightedKind::k16x8 ? TensorType::kInt64
                                                        : TensorType::kFloat32;
  KILN_TRY(expect_type(ctx, ctx.output(0), in->type, "output"));
  KILN_TRY(expect_type(ctx, ctx.input(at.weights), weights, "weights"));
  return expect_bias(ctx, ctx.input(at.bias), bias, channels);
}

}  // namespace kiln::runtime::ops
