// TRANSPOSE_CONV glue: 16x8, int8 and float32. Inputs: output_shape
// (int32[4]; TFLite Micro ignores its values, as there are no dynamic
// shapes), weights [out_ch, h, w, in_ch], input, optional bias.
#include "kiln/kernels/transpose_conv.h"
#include "kiln/runtime/op_data/transpose_conv.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

constexpr uint32_t kOutputShape = 0;
constexpr uint32_t kWeights = 1;
constexpr uint32_t kInput = 2;
constexpr uint32_t kBias = 3;

// TransposeConvOptions fields (schema.fbs order).
struct TcOptions {
  model::Padding padding;
  int32_t stride_w, stride_h;
  model::Activation act;
};

Status read_options(PrepareContext& ctx, TcOptions* o) {
  KILN_TRY(expect_options(ctx, model::OptionsType::kTransposeConv));
  const model::Table& t = ctx.op().options;
  o->padding = static_cast<model::Padding>(t.scalar<int8_t>(0, 0));
  o->stride_w = t.scalar<int32_t>(1, 0);
  o->stride_h = t.scalar<int32_t>(2, 0);
  o->act = static_cast<model::Activation>(t.scalar<int8_t>(3, 0));
  KILN_TRY(expect_padding(ctx, o->padding));
  KILN_TRY(expect_activation(ctx, o->act));
  if (o->stride_w < 1 || o->stride_h < 1) {
    return ctx.fail(Status::kInvalidModel, "stride %ldx%ld must be positive", static_cast<long>(o->stride_h),
                    static_cast<long>(o->stride_w));
  }
  return Status::kOk;
}

Status check_types(PrepareContext& ctx, TcKind kind, int32_t channels) {
  using model::TensorType;
  const Tensor* in = ctx.input(kInput);
  if (in->type != TensorType::kFloat32 && in->type != TensorType::kInt8 && in->type != TensorType::kInt16) {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported", model::tensor_type_name(in->type));
  }
  const TensorType weights = kind == TcKind::kFloat ? TensorType::kFloat32 : TensorType::kInt8;
  const TensorType bias = kind == TcKind::kInt8   ? TensorType::kInt32
                          : kind == TcKind::k16x8 ? TensorType::kInt64
                                                  : TensorType::kFloat32;
  KILN_TRY(expect_type(ctx, ctx.output(0), in->type, "output"));
  KILN_TRY(expect_type(ctx, ctx.input(kWeights), weights, "weights"));
  KILN_TRY(expect_type(ctx, ctx.input(kOutputShape), TensorType::kInt32, "output_shape"));
  if (ctx.input(kOutputShape)->elements() != 4) return ctx.fail(Status::kInvalidModel, "output_shape must hold 4 values");
  return expect_bias(ctx, ctx.input(kBias), bias, channels);
}

// A constant output_shape must agree with the output tensor (TFLite Micro
// reads the output tensor's shape; a disagreement means a broken model).
Status check_output_shape_values(PrepareContext& ctx) {
  const Tensor* shape = ctx.input(kOutputShape);
  if (!shape->is_constant() || shape->data == nullptr) return Status::kOk;
  return expect_shape(ctx, ctx.output(0), shape->as<int32_t>(), 4, "output");
}

// Padding follows TFLite Micro: ComputePaddingHeightWidth applied to the
// *output* size, as if it were a convolution's input.
Status plan_geometry(PrepareContext& ctx, const TcOptions& o, kernels::ConvGeometry* g) {
  const Tensor* in = ctx.input(kInput);
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* out = ctx.output(0);
  KILN_TRY(expect_rank(ctx, in, 4, "input"));
  KILN_TRY(expect_rank(ctx, weights, 4, "weights"));
  KILN_TRY(expect_rank(ctx, out, 4, "output"));
  *g = kernels::ConvGeometry();
  g->batches = in->dims[0];
  g->in_h = in->dims[1];
  g->in_w = in->dims[2];
  g->in_ch = in->dims[3];
  g->out_ch = weights->dims[0];
  g->filter_h = weights->dims[1];
  g->filter_w = weights->dims[2];
  g->out_h = out->dims[1];
  g->out_w = out->dims[2];
  if (g->filter_h <= 0 || g->filter_w <= 0 || weights->dims[3] != g->in_ch || out->dims[3] != g->out_ch ||
      out->dims[0] != g->batches) {
    return ctx.fail(Status::kInvalidModel, "weights [%ld,%ld,%ld,%ld] do not fit input channels %ld / output channels %ld",
                    static_cast<long>(g->out_ch), static_cast<long>(g->filter_h), static_cast<long>(g->filter_w),
                    static_cast<long>(weights->dims[3]), static_cast<long>(g->in_ch), static_cast<long>(out->dims[3]));
  }
  g->stride_h = o.stride_h;
  g->stride_w = o.stride_w;
  const int32_t conv_out_h = compute_out_size(o.padding, g->out_h, g->filter_h, g->stride_h, 1);
  const int32_t conv_out_w = compute_out_size(o.padding, g->out_w, g->filter_w, g->stride_w, 1);
  const PaddingValues pad = compute_padding(g->stride_h, g->stride_w, 1, 1, g->out_h, g->out_w, g->filter_h,
                                            g->filter_w, conv_out_h, conv_out_w);
  g->pad_h = pad.height;
  g->pad_w = pad.width;
  KILN_TRY(expect_int32_extent(ctx, static_cast<int64_t>(g->in_h) * g->stride_h + g->filter_h + g->out_h + g->pad_h, "window height"));
  return expect_int32_extent(ctx, static_cast<int64_t>(g->in_w) * g->stride_w + g->filter_w + g->out_w + g->pad_w, "window width");
}

Status plan_quantized(PrepareContext& ctx, model::Activation act, TransposeConvData* d) {
  const model::TensorView in = ctx.input_info(kInput);
  const model::TensorView weights = ctx.input_info(kWeights);
  const model::TensorView out = ctx.output_info(0);
  const kernels::ConvGeometry& g = d->geometry;
  KILN_TRY(expect_filter_quant(ctx, weights, g.out_ch, 0));
  kernels::RequantParams& q = d->requant;
  int32_t entries = 0;
  KILN_TRY(per_channel_multipliers(ctx, in, weights, out, g.out_ch, &q, &entries));
  float in_scale = 0.0f, out_scale = 0.0f;
  int32_t in_zp = 0, out_zp = 0;
  KILN_TRY(tensor_quant(ctx, in, "input", &in_scale, &in_zp));
  KILN_TRY(tensor_quant(ctx, out, "output", &out_scale, &out_zp));
  q.input_offset = -in_zp;
  q.output_offset = out_zp;
  const uint32_t out_elems = ctx.output(0)->elements();
  if (d->kind == TcKind::k16x8) {
    if (in_zp != 0 || out_zp != 0) return ctx.fail(Status::kUnsupported, "16x8 input and output zero points must be 0");
    KILN_TRY(expect_int64_requant_shifts(ctx, q.shifts, entries));
    KILN_TRY(expect_16x8_accumulator_bounds(ctx, ctx.input(kBias), static_cast<int64_t>(g.filter_h) * g.filter_w * g.in_ch));
    activation_range_quantized(act, out_scale, out_zp, -32768, 32767, &q.act_min, &q.act_max);
    return ctx.request_scratch(static_cast<size_t>(out_elems) * sizeof(int64_t), &d->scratch);
  }
  activation_range_quantized(act, out_scale, out_zp, -128, 127, &q.act_min, &q.act_max);
  return ctx.request_scratch(static_cast<size_t>(out_elems) * sizeof(int32_t), &d->scratch);
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 3, 1));
  TcOptions o;
  KILN_TRY(read_options(ctx, &o));
  auto* d = static_cast<TransposeConvData*>(ctx.allocate_persistent(sizeof(TransposeConvData), alignof(TransposeConvData)));
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = TransposeConvData();
  KILN_TRY(plan_geometry(ctx, o, &d->geometry));
  const model::TensorType in_type = ctx.input(kInput)->type;
  d->kind = in_type == model::TensorType::kFloat32 ? TcKind::kFloat
            : in_type == model::TensorType::kInt16 ? TcKind::k16x8
                                                   : TcKind::kInt8;
  KILN_TRY(check_types(ctx, d->kind, d->geometry.out_ch));
  KILN_TRY(check_output_shape_values(ctx));
  if (d->kind == TcKind::kFloat) {
    activation_range_float(o.act, &d->act.min, &d->act.max);
  } else {
    KILN_TRY(plan_quantized(ctx, o.act, d));
  }
  const kernels::ConvGeometry& g = d->geometry;
  ctx.set_macs(static_cast<uint64_t>(ctx.input(kInput)->elements()) * static_cast<uint64_t>(g.filter_h) *
               static_cast<uint64_t>(g.filter_w) * static_cast<uint64_t>(g.out_ch));
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const auto& d = *static_cast<const TransposeConvData*>(ctx.op_data());
  const Tensor* in = ctx.input(kInput);
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* bias = ctx.input(kBias);
  Tensor* out = ctx.output(0);
  switch (d.kind) {
    case TcKind::kInt8:
      kernels::transpose_conv_int8(d.geometry, d.requant, in->as<int8_t>(), weights->as<int8_t>(),
                                   bias ? bias->as<int32_t>() : nullptr,
                                   static_cast<int32_t*>(ctx.scratch(d.scratch)), out->as<int8_t>());
      break;
    case TcKind::k16x8:
      kernels::transpose_conv_16x8(d.geometry, d.requant, in->as<int16_t>(), weights->as<int8_t>(),
                                   bias ? bias->as<int64_t>() : nullptr,
                                   static_cast<int64_t*>(ctx.scratch(d.scratch)), out->as<int16_t>());
      break;
    case TcKind::kFloat:
      kernels::transpose_conv_float(d.geometry, d.act, in->as<float>(), weights->as<float>(),
                                    bias ? bias->as<float>() : nullptr, out->as<float>());
      break;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& transpose_conv() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kTransposeConv), prepare, invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
