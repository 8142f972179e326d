// AVERAGE_POOL_2D and MAX_POOL_2D: NHWC int8, int16 and float32, SAME/VALID padding, any
// strides, fused activation. Input and output share quantization (TFLM).
#include "kiln/kernels/pooling.h"
#include "kiln/runtime/op_data/pool_2d.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

// Pool2DOptions fields.
constexpr uint32_t kPaddingField = 0;
constexpr uint32_t kStrideWField = 1;
constexpr uint32_t kStrideHField = 2;
constexpr uint32_t kFilterWField = 3;
constexpr uint32_t kFilterHField = 4;
constexpr uint32_t kFusedActivationField = 5;

Status read_geometry(PrepareContext& ctx, const Tensor* in, const Tensor* out,
                     kernels::PoolGeometry* g) {
  const model::Table& o = ctx.op().options;
  const int8_t padding = o.scalar<int8_t>(kPaddingField, 0);
  g->stride_w = o.scalar<int32_t>(kStrideWField, 0);
  g->stride_h = o.scalar<int32_t>(kStrideHField, 0);
  g->filter_w = o.scalar<int32_t>(kFilterWField, 0);
  g->filter_h = o.scalar<int32_t>(kFilterHField, 0);
  if (padding < 0 || padding > 1 || g->stride_w < 1 || g->stride_h < 1 || g->filter_w < 1 ||
      g->filter_h < 1) {
    return ctx.fail(Status::kInvalidModel,
                    "bad pool options (padding %d, stride %ldx%ld, filter %ldx%ld)", padding,
                    static_cast<long>(g->stride_h), static_cast<long>(g->stride_w),
                    static_cast<long>(g->filter_h), static_cast<long>(g->filter_w));
  }
  if (in->rank != 4 || out->rank != 4 || in->dims[0] != out->dims[0] ||
      in->dims[3] != out->dims[3]) {
    return ctx.fail(Status::kInvalidModel, "input and output must be NHWC with equal N and C");
  }
  g->batches = in->dims[0];
  g->in_h = in->dims[1];
  g->in_w = in->dims[2];
  g->depth = in->dims[3];
  g->out_h = out->dims[1];
  g->out_w = out->dims[2];
  const model::Padding pad = static_cast<model::Padding>(padding);
  if (g->out_h != compute_out_size(pad, g->in_h, g->filter_h, g->stride_h, 1) ||
      g->out_w != compute_out_size(pad, g->in_w, g->filter_w, g->stride_w, 1)) {
    return ctx.fail(Status::kInvalidModel, "output size does not match the pool geometry");
  }
  const PaddingValues p = compute_padding(g->stride_h, g->stride_w, 1, 1, g->in_h, g->in_w,
                                          g->filter_h, g->filter_w, g->out_h, g->out_w);
  g->pad_h = p.height;
  g->pad_w = p.width;
  return Status::kOk;
}

Status prepare_activation(PrepareContext& ctx, const Tensor* in, PoolData* d) {
  const auto act =
      static_cast<model::Activation>(ctx.op().options.scalar<int8_t>(kFusedActivationField, 0));
  KILN_TRY(expect_activation(ctx, act));
  if (in->type == TensorType::kFloat32) {
    activation_range_float(act, &d->act_min_f, &d->act_max_f);
    return Status::kOk;
  }
  float si, so;
  int32_t zi, zo;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &si, &zi));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
  const float diff = si > so ? si - so : so - si;
  if (!(static_cast<double>(diff) <= 1.0e-6) || zi != zo) {
    return ctx.fail(Status::kUnsupported, "input and output quantization must match");
  }
  const bool is_int8 = in->type == TensorType::kInt8;
  activation_range_quantized(act, so, zo, is_int8 ? INT8_MIN : INT16_MIN,
                             is_int8 ? INT8_MAX : INT16_MAX, &d->act_min, &d->act_max);
  return Status::kOk;
}

Status prepare(PrepareContext& ctx, bool average) {
  KILN_TRY(expect_io(ctx, 1, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  if (in->type != TensorType::kInt8 && in->type != TensorType::kInt16 &&
      in->type != TensorType::kFloat32) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported (int8, int16, float32)",
                    model::tensor_type_name(in->type));
  }
  KILN_TRY(expect_type(ctx, out, in->type, "output"));
  KILN_TRY(expect_options(ctx, model::OptionsType::kPool2d));
  PoolData* d = ctx.allocate_array<PoolData>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = PoolData{};  // the arena hands out raw memory: no constructor ran
  d->average = average;
  KILN_TRY(read_geometry(ctx, in, out, &d->g));
  // Average: int32 sums of up to 2^16 int16 taps cannot overflow.
  if (average && in->type == TensorType::kInt16 &&
      static_cast<int64_t>(d->g.filter_h) * d->g.filter_w > 65536) {
    return ctx.fail(Status::kUnsupported, "int16 filter window above 65536 taps");
  }
  KILN_TRY(prepare_activation(ctx, in, d));
  ctx.set_op_data(d);
  ctx.set_macs(static_cast<uint64_t>(out->elements()) * static_cast<uint64_t>(d->g.filter_h) *
               static_cast<uint64_t>(d->g.filter_w));
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const PoolData& d = *static_cast<const PoolData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  switch (in->type) {
    case TensorType::kInt8:
      (d.average ? kernels::average_pool_int8 : kernels::max_pool_int8)(d.g, d.act_min, d.act_max,
                                                                        in->as<int8_t>(), out->as<int8_t>());
      break;
    case TensorType::kInt16:
      (d.average ? kernels::average_pool_int16 : kernels::max_pool_int16)(d.g, d.act_min, d.act_max,
                                                                          in->as<int16_t>(), out->as<int16_t>());
      break;
    default:
      (d.average ? kernels::average_pool_float : kernels::max_pool_float)(d.g, d.act_min_f, d.act_max_f,
                                                                          in->as<float>(), out->as<float>());
      break;
  }
  return Status::kOk;
}

Status prepare_average(PrepareContext& ctx) { return prepare(ctx, true); }
Status prepare_max(PrepareContext& ctx) { return prepare(ctx, false); }

}  // namespace

const KernelRegistration& average_pool_2d() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kAveragePool2d),
                                      prepare_average, invoke};
  return reg;
}

const KernelRegistration& max_pool_2d() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kMaxPool2d), prepare_max,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
