// MEAN over any constant set of axes (negative and repeated axes allowed),
// int8, int16 and float32, with or without keep_dims: bit-exact with TFLite
// Micro's reference (the 1/count factor folded into the multiplier).
#include "kiln/kernels/reduce.h"
#include "kiln/runtime/op_data/mean.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

Status make_plan(PrepareContext& ctx, const Tensor* in, const Tensor* out, MeanData* d) {
  const Tensor* axes = ctx.input(1);
  KILN_TRY(expect_type(ctx, axes, TensorType::kInt32, "axis"));
  if (!axes->is_constant()) return ctx.fail(Status::kUnsupported, "axis must be constant");
  if (!kernels::make_reduce_plan(in->dims, in->rank, axes->as<int32_t>(), axes->elements(),
                                 &d->plan)) {
    return ctx.fail(Status::kInvalidModel, "axis out of range or input rank above %lu",
                    static_cast<unsigned long>(kernels::kMaxReduceRank));
  }
  if (out->elements() != d->plan.output_count) {
    return ctx.fail(Status::kInvalidModel, "output has %lu elements, the reduction gives %lu",
                    static_cast<unsigned long>(out->elements()),
                    static_cast<unsigned long>(d->plan.output_count));
  }
  return Status::kOk;
}

Status prepare_quantized(PrepareContext& ctx, MeanData* d) {
  float si, so;
  int32_t zi, zo;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &si, &zi));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
  if (!(si > 0.0f) || !(so > 0.0f) ||
      !kernels::make_mean_params(si, zi, so, zo, d->plan.reduce_count, &d->q)) {
    return ctx.fail(Status::kUnsupported, "input/output scales give an unusable multiplier");
  }
  return ctx.request_scratch(static_cast<size_t>(d->plan.output_count) * sizeof(int32_t),
                             &d->scratch);
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 2, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  if (in->type != TensorType::kInt8 && in->type != TensorType::kInt16 &&
      in->type != TensorType::kFloat32) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported (int8, int16, float32)",
                    model::tensor_type_name(in->type));
  }
  KILN_TRY(expect_type(ctx, out, in->type, "output"));
  MeanData* d = ctx.allocate_array<MeanData>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = MeanData{};  // the arena hands out raw memory: no constructor ran
  KILN_TRY(make_plan(ctx, in, out, d));
  if (in->type != TensorType::kFloat32) KILN_TRY(prepare_quantized(ctx, d));
  ctx.set_op_data(d);
  ctx.set_macs(d->plan.input_count);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const MeanData& d = *static_cast<const MeanData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  if (in->type == TensorType::kFloat32) {
    kernels::mean_float(d.plan, in->as<float>(), out->as<float>());
    return Status::kOk;
  }
  int32_t* acc = static_cast<int32_t*>(ctx.scratch(d.scratch));
  if (acc == nullptr && d.plan.output_count != 0) return Status::kInternal;
  if (in->type == TensorType::kInt8) {
    kernels::mean_int8(d.plan, d.q, in->as<int8_t>(), acc, out->as<int8_t>());
  } else {
    kernels::mean_int16(d.plan, d.q, in->as<int16_t>(), acc, out->as<int16_t>());
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& mean() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kMean), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
