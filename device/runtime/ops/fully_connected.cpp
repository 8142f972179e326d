// FULLY_CONNECTED glue: int8 (per-tensor or per-channel weights), 16x8,
// float32 and hybrid (float activations with int8 weights, dequantized at
// prepare). Batches = input elements / weights dim 1.
#include "kiln/kernels/fully_connected.h"
#include "kiln/runtime/op_data/fully_connected.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"
#include "weighted_kind.h"

namespace kiln::runtime::ops {

namespace {

// weights [units, depth]; the input is `batches` rows of `depth`; the output
// holds batches · units with units innermost (keep_num_dims: the input's
// shape with the last dimension replaced).
Status plan_shape(PrepareContext& ctx, bool keep_num_dims, kernels::FullyConnectedShape* s) {
  const Tensor* in = ctx.input(0);
  const Tensor* weights = ctx.input(1);
  const Tensor* out = ctx.output(0);
  KILN_TRY(expect_rank(ctx, weights, 2, "weights"));
  s->units = weights->dims[0];
  s->accum_depth = weights->dims[1];
  if (s->units <= 0 || s->accum_depth <= 0 || in->elements() % static_cast<uint32_t>(s->accum_depth) != 0) {
    return ctx.fail(Status::kInvalidModel, "input of %lu elements does not fit weights [%ld,%ld]",
                    static_cast<unsigned long>(in->elements()), static_cast<long>(s->units),
                    static_cast<long>(s->accum_depth));
  }
  s->batches = static_cast<int32_t>(in->elements() / static_cast<uint32_t>(s->accum_depth));
  if (keep_num_dims) {
    int32_t dims[model::kMaxRank];
    for (uint32_t i = 0; i < in->rank; ++i) dims[i] = in->dims[i];
    if (in->rank == 0 || dims[in->rank - 1] != s->accum_depth) {
      return ctx.fail(Status::kInvalidModel, "keep_num_dims needs the input's last dimension to be %ld",
                      static_cast<long>(s->accum_depth));
    }
    dims[in->rank - 1] = s->units;
    return expect_shape(ctx, out, dims, in->rank, "output");
  }
  if (out->rank == 0 || out->dims[out->rank - 1] != s->units ||
      out->elements() != static_cast<uint32_t>(s->batches) * static_cast<uint32_t>(s->units)) {
    const int32_t dims[2] = {s->batches, s->units};
    return expect_shape(ctx, out, dims, 2, "output");
  }
  return Status::kOk;
}

Status plan_quantized(PrepareContext& ctx, model::Activation act, FcData* d) {
  WeightedRequant w;
  w.channels = d->shape.units;
  w.channel_axis = 0;
  w.depth = d->shape.accum_depth;
  // TFLite forms a single weight scale's product in float32 first.
  w.product = ctx.input_info(1).quant.per_channel() ? ScaleProduct::kDouble : ScaleProduct::kFloat;
  return plan_weighted_requant(ctx, d->kind, act, w, &d->requant);
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 2, 1));
  KILN_TRY(expect_options(ctx, model::OptionsType::kFullyConnected));
  const model::Table& opts = ctx.op().options;
  const auto act = static_cast<model::Activation>(opts.scalar<int8_t>(0, 0));
  const int8_t weights_format = opts.scalar<int8_t>(1, 0);
  const bool keep_num_dims = opts.scalar<uint8_t>(2, 0) != 0;
  KILN_TRY(expect_activation(ctx, act));
  if (weights_format != 0) {
    return ctx.fail(Status::kUnsupported, "weights format %d is not supported (only DEFAULT)", weights_format);
  }
  auto* d = static_cast<FcData*>(ctx.allocate_persistent(sizeof(FcData), alignof(FcData)));
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = FcData();
  KILN_TRY(plan_shape(ctx, keep_num_dims, &d->shape));
  d->kind = weighted_kind(ctx.input(0)->type, ctx.input(1)->type);
  KILN_TRY(check_weighted_types(ctx, d->kind, d->shape.units));
  if (d->kind == WeightedKind::kInt8 || d->kind == WeightedKind::k16x8) {
    KILN_TRY(plan_quantized(ctx, act, d));
  } else {
    activation_range_float(act, &d->act.min, &d->act.max);
    if (d->kind == WeightedKind::kHybrid) KILN_TRY(dequantize_weights(ctx, ctx.input(1), ctx.input_info(1), 0, &d->float_weights));
  }
  ctx.set_macs(static_cast<uint64_t>(d->shape.batches) * static_cast<uint64_t>(d->shape.units) *
               static_cast<uint64_t>(d->shape.accum_depth));
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const auto& d = *static_cast<const FcData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  const Tensor* weights = ctx.input(1);
  const Tensor* bias = ctx.input(2);
  Tensor* out = ctx.output(0);
  const kernels::Poll poll = ctx.budget_poll();
  bool completed = true;
  switch (d.kind) {
    case WeightedKind::kInt8:
      completed = kernels::fully_connected_int8(d.shape, d.requant, in->as<int8_t>(), weights->as<int8_t>(),
                                    bias ? bias->as<int32_t>() : nullptr, out->as<int8_t>(), poll);
      break;
    case WeightedKind::k16x8:
      completed = kernels::fully_connected_16x8(d.shape, d.requant, in->as<int16_t>(), weights->as<int8_t>(),
                                    bias ? bias->as<int64_t>() : nullptr, out->as<int16_t>(), poll);
      break;
    case WeightedKind::kFloat:
    case WeightedKind::kHybrid:
      completed = kernels::fully_connected_float(d.shape, d.act, in->as<float>(),
                                     d.float_weights ? d.float_weights : weights->as<float>(),
                                     bias ? bias->as<float>() : nullptr, out->as<float>(), poll);
      break;
  }
  return completed ? Status::kOk : Status::kBudgetExceeded;
}

}  // namespace

const KernelRegistration& fully_connected() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kFullyConnected), prepare, invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
