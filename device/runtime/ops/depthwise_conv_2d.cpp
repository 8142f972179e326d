// DEPTHWISE_CONV_2D glue: int8 (per-channel along axis 3), 16x8, float32
// and hybrid (float activations with int8 weights, dequantized at prepare).
#include "kiln/kernels/depthwise_conv.h"
#include "kiln/runtime/op_data/depthwise_conv_2d.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"
#include "weighted_kind.h"

namespace kiln::runtime::ops {

namespace {

// DepthwiseConv2DOptions fields (schema.fbs order).
struct DwOptions {
  model::Padding padding;
  int32_t stride_w, stride_h, depth_multiplier, dilation_w, dilation_h;
  model::Activation act;
};

Status read_options(PrepareContext& ctx, DwOptions* o) {
  KILN_TRY(expect_options(ctx, model::OptionsType::kDepthwiseConv2d));
  const model::Table& t = ctx.op().options;
  o->padding = static_cast<model::Padding>(t.scalar<int8_t>(0, 0));
  o->stride_w = t.scalar<int32_t>(1, 0);
  o->stride_h = t.scalar<int32_t>(2, 0);
  o->depth_multiplier = t.scalar<int32_t>(3, 0);
  o->act = static_cast<model::Activation>(t.scalar<int8_t>(4, 0));
  o->dilation_w = t.scalar<int32_t>(5, 1);
  o->dilation_h = t.scalar<int32_t>(6, 1);
  KILN_TRY(expect_padding(ctx, o->padding));
  KILN_TRY(expect_activation(ctx, o->act));
  if (o->stride_w < 1 || o->stride_h < 1 || o->dilation_w < 1 || o->dilation_h < 1) {
    return ctx.fail(Status::kInvalidModel, "stride %ldx%ld / dilation %ldx%ld must be positive",
                    static_cast<long>(o->stride_h), static_cast<long>(o->stride_w),
                    static_cast<long>(o->dilation_h), static_cast<long>(o->dilation_w));
  }
  return Status::kOk;
}

// Channels: out_ch = in_ch · multiplier, filter [1, h, w, out_ch].
Status plan_channels(PrepareContext& ctx, const DwOptions& o, DepthwiseData* d) {
  const Tensor* filter = ctx.input(1);
  kernels::ConvGeometry& g = d->geometry;
  g.out_ch = filter->dims[3];
  if (filter->dims[0] != 1 || g.in_ch <= 0 || g.out_ch <= 0 || g.out_ch % g.in_ch != 0) {
    return ctx.fail(Status::kInvalidModel, "filter [%ld,%ld,%ld,%ld] does not fit %ld input channels",
                    static_cast<long>(filter->dims[0]), static_cast<long>(filter->dims[1]),
                    static_cast<long>(filter->dims[2]), static_cast<long>(g.out_ch), static_cast<long>(g.in_ch));
  }
  d->depth_multiplier = g.out_ch / g.in_ch;
  // Some converters leave the option 0; any other disagreement is an error.
  if (o.depth_multiplier != 0 && o.depth_multiplier != d->depth_multiplier) {
    return ctx.fail(Status::kInvalidModel, "depth_multiplier %ld, but filter has %ld channels for %ld inputs",
                    static_cast<long>(o.depth_multiplier), static_cast<long>(g.out_ch), static_cast<long>(g.in_ch));
  }
  return Status::kOk;
}

Status plan_geometry(PrepareContext& ctx, const DwOptions& o, DepthwiseData* d) {
  const Tensor* in = ctx.input(0);
  const Tensor* filter = ctx.input(1);
  KILN_TRY(expect_rank(ctx, in, 4, "input"));
  KILN_TRY(expect_rank(ctx, filter, 4, "filter"));
  kernels::ConvGeometry& g = d->geometry;
  g.batches = in->dims[0];
  g.in_h = in->dims[1];
  g.in_w = in->dims[2];
  g.in_ch = in->dims[3];
  g.filter_h = filter->dims[1];
  g.filter_w = filter->dims[2];
  if (g.filter_h <= 0 || g.filter_w <= 0) return ctx.fail(Status::kInvalidModel, "filter is empty");
  KILN_TRY(plan_channels(ctx, o, d));
  g.stride_h = o.stride_h;
  g.stride_w = o.stride_w;
  g.dilation_h = o.dilation_h;
  g.dilation_w = o.dilation_w;
  g.out_h = compute_out_size(o.padding, g.in_h, g.filter_h, g.stride_h, g.dilation_h);
  g.out_w = compute_out_size(o.padding, g.in_w, g.filter_w, g.stride_w, g.dilation_w);
  const PaddingValues pad = compute_padding(g.stride_h, g.stride_w, g.dilation_h, g.dilation_w, g.in_h, g.in_w,
                                            g.filter_h, g.filter_w, g.out_h, g.out_w);
  g.pad_h = pad.height;
  g.pad_w = pad.width;
  const int32_t out_dims[4] = {g.batches, g.out_h, g.out_w, g.out_ch};
  KILN_TRY(expect_shape(ctx, ctx.output(0), out_dims, 4, "output"));
  KILN_TRY(expect_int32_extent(ctx, static_cast<int64_t>(g.out_h) * g.stride_h + static_cast<int64_t>(g.filter_h) * g.dilation_h + g.in_h + g.pad_h, "window height"));
  return expect_int32_extent(ctx, static_cast<int64_t>(g.out_w) * g.stride_w + static_cast<int64_t>(g.filter_w) * g.dilation_w + g.in_w + g.pad_w, "window width");
}

Status plan_quantized(PrepareContext& ctx, model::Activation act, DepthwiseData* d) {
  WeightedRequant w;
  w.channels = d->geometry.out_ch;
  w.channel_axis = 3;
  w.depth = static_cast<int64_t>(d->geometry.filter_h) * d->geometry.filter_w;
  return plan_weighted_requant(ctx, d->kind, act, w, &d->requant);
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 2, 1));
  DwOptions o;
  KILN_TRY(read_options(ctx, &o));
  auto* d = static_cast<DepthwiseData*>(ctx.allocate_persistent(sizeof(DepthwiseData), alignof(DepthwiseData)));
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = DepthwiseData();
  KILN_TRY(plan_geometry(ctx, o, d));
  d->kind = weighted_kind(ctx.input(0)->type, ctx.input(1)->type);
  KILN_TRY(check_weighted_types(ctx, d->kind, d->geometry.out_ch));
  if (d->kind == WeightedKind::kInt8 || d->kind == WeightedKind::k16x8) {
    KILN_TRY(plan_quantized(ctx, o.act, d));
  } else {
    activation_range_float(o.act, &d->act.min, &d->act.max);
    if (d->kind == WeightedKind::kHybrid) KILN_TRY(dequantize_weights(ctx, ctx.input(1), ctx.input_info(1), 3, &d->float_filter));
  }
  const kernels::ConvGeometry& g = d->geometry;
  ctx.set_macs(static_cast<uint64_t>(ctx.output(0)->elements()) * static_cast<uint64_t>(g.filter_h) *
               static_cast<uint64_t>(g.filter_w));
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const auto& d = *static_cast<const DepthwiseData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  const Tensor* filter = ctx.input(1);
  const Tensor* bias = ctx.input(2);
  Tensor* out = ctx.output(0);
  const kernels::Poll poll = ctx.budget_poll();
  bool completed = true;
  switch (d.kind) {
    case WeightedKind::kInt8:
      completed = kernels::depthwise_conv_int8(d.geometry, d.depth_multiplier, d.requant, in->as<int8_t>(), filter->as<int8_t>(),
                                   bias ? bias->as<int32_t>() : nullptr, out->as<int8_t>(), poll);
      break;
    case WeightedKind::k16x8:
      completed = kernels::depthwise_conv_16x8(d.geometry, d.depth_multiplier, d.requant, in->as<int16_t>(),
                                   filter->as<int8_t>(), bias ? bias->as<int64_t>() : nullptr, out->as<int16_t>(), poll);
      break;
    case WeightedKind::kFloat:
    case WeightedKind::kHybrid:
      completed = kernels::depthwise_conv_float(d.geometry, d.depth_multiplier, d.act, in->as<float>(),
                                    d.float_filter ? d.float_filter : filter->as<float>(),
                                    bias ? bias->as<float>() : nullptr, out->as<float>(), poll);
      break;
  }
  return completed ? Status::kOk : Status::kBudgetExceeded;
}

}  // namespace

const KernelRegistration& depthwise_conv_2d() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kDepthwiseConv2d), prepare, invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
