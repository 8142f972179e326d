// CONV_2D glue: int8, 16x8, float32 and hybrid (float activations with int8
// weights, dequantized once at prepare).
#include "kiln/kernels/conv.h"
#include "kiln/runtime/op_data/conv_2d.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"
#include "weighted_kind.h"

namespace kiln::runtime::ops {

namespace {

// Conv2DOptions fields (schema.fbs order).
struct ConvOptions {
  model::Padding padding;
  int32_t stride_w, stride_h, dilation_w, dilation_h;
  model::Activation act;
};

Status read_options(PrepareContext& ctx, ConvOptions* o) {
  KILN_TRY(expect_options(ctx, model::OptionsType::kConv2d));
  const model::Table& t = ctx.op().options;
  o->padding = static_cast<model::Padding>(t.scalar<int8_t>(0, 0));
  o->stride_w = t.scalar<int32_t>(1, 0);
  o->stride_h = t.scalar<int32_t>(2, 0);
  o->act = static_cast<model::Activation>(t.scalar<int8_t>(3, 0));
  o->dilation_w = t.scalar<int32_t>(4, 1);
  o->dilation_h = t.scalar<int32_t>(5, 1);
  KILN_TRY(expect_padding(ctx, o->padding));
  KILN_TRY(expect_activation(ctx, o->act));
  if (o->stride_w < 1 || o->stride_h < 1 || o->dilation_w < 1 || o->dilation_h < 1) {
    return ctx.fail(Status::kInvalidModel, "stride %ldx%ld / dilation %ldx%ld must be positive",
                    static_cast<long>(o->stride_h), static_cast<long>(o->stride_w),
                    static_cast<long>(o->dilation_h), static_cast<long>(o->dilation_w));
  }
  return Status::kOk;
}

// Sizes, padding and the output shape check.
Status plan_geometry(PrepareContext& ctx, const ConvOptions& o, ConvData* d) {
  const Tensor* in = ctx.input(0);
  const Tensor* filter = ctx.input(1);
  KILN_TRY(expect_rank(ctx, in, 4, "input"));
  KILN_TRY(expect_rank(ctx, filter, 4, "filter"));
  kernels::ConvGeometry& g = d->geometry;
  g.batches = in->dims[0];
  g.in_h = in->dims[1];
  g.in_w = in->dims[2];
  g.in_ch = in->dims[3];
  g.out_ch = filter->dims[0];
  g.filter_h = filter->dims[1];
  g.filter_w = filter->dims[2];
  d->filter_in_ch = filter->dims[3];
  if (d->filter_in_ch <= 0 || g.out_ch <= 0 || g.filter_h <= 0 || g.filter_w <= 0 ||
      g.in_ch % d->filter_in_ch != 0 || g.out_ch % (g.in_ch / d->filter_in_ch) != 0) {
    return ctx.fail(Status::kInvalidModel, "filter [%ld,%ld,%ld,%ld] does not fit %ld input channels",
                    static_cast<long>(g.out_ch), static_cast<long>(g.filter_h), static_cast<long>(g.filter_w),
                    static_cast<long>(d->filter_in_ch), static_cast<long>(g.in_ch));
  }
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
  // Furthest coordinates the window arithmetic forms, so kernels stay in int32.
  KILN_TRY(expect_int32_extent(ctx, static_cast<int64_t>(g.out_h) * g.stride_h + static_cast<int64_t>(g.filter_h) * g.dilation_h + g.in_h + g.pad_h, "window height"));
  return expect_int32_extent(ctx, static_cast<int64_t>(g.out_w) * g.stride_w + static_cast<int64_t>(g.filter_w) * g.dilation_w + g.in_w + g.pad_w, "window width");
}

Status plan_quantized(PrepareContext& ctx, model::Activation act, ConvData* d) {
  const kernels::ConvGeometry& g = d->geometry;
  WeightedRequant w;
  w.channels = g.out_ch;
  w.channel_axis = 0;
  w.depth = static_cast<int64_t>(g.filter_h) * g.filter_w * d->filter_in_ch;
  return plan_weighted_requant(ctx, d->kind, act, w, &d->requant);
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 2, 1));
  ConvOptions o;
  KILN_TRY(read_options(ctx, &o));
  auto* d = static_cast<ConvData*>(ctx.allocate_persistent(sizeof(ConvData), alignof(ConvData)));
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = ConvData();
  KILN_TRY(plan_geometry(ctx, o, d));
  d->kind = weighted_kind(ctx.input(0)->type, ctx.input(1)->type);
  KILN_TRY(check_weighted_types(ctx, d->kind, d->geometry.out_ch));
  if (d->kind == WeightedKind::kInt8 || d->kind == WeightedKind::k16x8) {
    KILN_TRY(plan_quantized(ctx, o.act, d));
  } else {
    activation_range_float(o.act, &d->act.min, &d->act.max);
    if (d->kind == WeightedKind::kHybrid) KILN_TRY(dequantize_weights(ctx, ctx.input(1), ctx.input_info(1), 0, &d->float_filter));
  }
  const kernels::ConvGeometry& g = d->geometry;
  ctx.set_macs(static_cast<uint64_t>(ctx.output(0)->elements()) * static_cast<uint64_t>(g.filter_h) *
               static_cast<uint64_t>(g.filter_w) * static_cast<uint64_t>(d->filter_in_ch));
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const auto& d = *static_cast<const ConvData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  const Tensor* filter = ctx.input(1);
  const Tensor* bias = ctx.input(2);
  Tensor* out = ctx.output(0);
  const kernels::Poll poll = ctx.budget_poll();
  bool completed = true;
  switch (d.kind) {
    case WeightedKind::kInt8:
      completed = kernels::conv_int8(d.geometry, d.filter_in_ch, d.requant, in->as<int8_t>(), filter->as<int8_t>(),
                         bias ? bias->as<int32_t>() : nullptr, out->as<int8_t>(), poll);
      break;
    case WeightedKind::k16x8:
      completed = kernels::conv_16x8(d.geometry, d.filter_in_ch, d.requant, in->as<int16_t>(), filter->as<int8_t>(),
                         bias ? bias->as<int64_t>() : nullptr, out->as<int16_t>(), poll);
      break;
    case WeightedKind::kFloat:
    case WeightedKind::kHybrid:
      completed = kernels::conv_float(d.geometry, d.filter_in_ch, d.act, in->as<float>(),
                          d.float_filter ? d.float_filter : filter->as<float>(),
                          bias ? bias->as<float>() : nullptr, out->as<float>(), poll);
      break;
  }
  return completed ? Status::kOk : Status::kBudgetExceeded;
}

}  // namespace

const KernelRegistration& conv_2d() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kConv2d), prepare, invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
