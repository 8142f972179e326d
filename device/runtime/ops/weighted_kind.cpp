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

Status plan_weighted_requant(PrepareContext& ctx, WeightedKind kind, model::Activation act,
                             const WeightedRequant& w, kernels::RequantParams* q) {
  const model::TensorView in = ctx.input_info(0);
  const model::TensorView out = ctx.output_info(0);
  KILN_TRY(expect_filter_quant(ctx, ctx.input_info(1), w.channels, w.channel_axis));
  int32_t entries = 0;
  KILN_TRY(per_channel_multipliers(ctx, in, ctx.input_info(1), out, w.channels, q, &entries, w.product));
  float in_scale = 0.0f, out_scale = 0.0f;
  int32_t in_zp = 0, out_zp = 0;
  KILN_TRY(tensor_quant(ctx, in, "input", &in_scale, &in_zp));
  KILN_TRY(tensor_quant(ctx, out, "output", &out_scale, &out_zp));
  q->input_offset = -in_zp;
  q->output_offset = out_zp;
  if (kind != WeightedKind::k16x8) {
    activation_range_quantized(act, out_scale, out_zp, -128, 127, &q->act_min, &q->act_max);
    return Status::kOk;
  }
  if (in_zp != 0 || out_zp != 0) return ctx.fail(Status::kUnsupported, "16x8 input and output zero points must be 0");
  KILN_TRY(expect_int64_requant_shifts(ctx, q->shifts, entries));
  KILN_TRY(expect_16x8_accumulator_bounds(ctx, ctx.input(2), w.depth));
  activation_range_quantized(act, out_scale, out_zp, -32768, 32767, &q->act_min, &q->act_max);
  return Status::kOk;
}

}  // namespace kiln::runtime::ops
