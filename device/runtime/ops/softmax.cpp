// SOFTMAX glue: float32, int8 → int8 and int8 → int16 over the innermost
// dimension. The output quantization is fixed by TFLite (int8: scale 1/256,
// zero point -128; int16: scale 1/65536, zero point -32768) and checked here
// as TFLite Micro checks it.
#include <math.h>

#include "kiln/kernels/softmax.h"
#include "kiln/runtime/op_data/softmax.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

Status plan_shape(PrepareContext& ctx, SoftmaxData* d) {
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  if (in->rank == 0) return ctx.fail(Status::kInvalidModel, "input must have at least one dimension");
  KILN_TRY(expect_shape(ctx, out, in->dims, in->rank, "output"));
  d->depth = static_cast<uint32_t>(in->dims[in->rank - 1]);
  d->outer = d->depth == 0 ? 0 : in->elements() / d->depth;
  return Status::kOk;
}

Status check_output_quant(PrepareContext& ctx, model::TensorType out_type) {
  float scale = 0.0f;
  int32_t zero_point = 0;
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &scale, &zero_point));
  if (out_type == model::TensorType::kInt8) {
    if (zero_point != -128 || scale != 1.0f / 256.0f) {
      return ctx.fail(Status::kUnsupported, "int8 output must have scale 1/256 and zero point -128, got %g and %ld",
                      static_cast<double>(scale), static_cast<long>(zero_point));
    }
    return Status::kOk;
  }
  const float expected = 1.0f / 65536.0f;
  if (zero_point != -32768 || !(fabsf(scale - expected) <= 0.001f * expected)) {
    return ctx.fail(Status::kUnsupported, "int16 output must have scale 1/65536 and zero point -32768, got %g and %ld",
                    static_cast<double>(scale), static_cast<long>(zero_point));
  }
  return Status::kOk;
}

Status plan_quantized(PrepareContext& ctx, SoftmaxData* d) {
  const model::TensorType out_type = ctx.output(0)->type;
  if (out_type != model::TensorType::kInt8 && out_type != model::TensorType::kInt16) {
    return ctx.fail(Status::kUnsupported, "int8 input needs an int8 or int16 output, got %s",
                    model::tensor_type_name(out_type));
  }
  d->kind = out_type == model::TensorType::kInt8 ? SoftmaxKind::kInt8 : SoftmaxKind::kInt8ToInt16;
  KILN_TRY(check_output_quant(ctx, out_type));
  float in_scale = 0.0f;
  int32_t in_zero_point = 0;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &in_scale, &in_zero_point));
  if (!kernels::softmax_quant_params(d->beta, in_scale, &d->quant)) {
    return ctx.fail(Status::kUnsupported, "beta %g times input scale %g is too small for the int8 kernel",
                    static_cast<double>(d->beta), static_cast<double>(in_scale));
  }
  return Status::kOk;
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 1, 1));
  KILN_TRY(expect_options(ctx, model::OptionsType::kSoftmax));
  auto* d = static_cast<SoftmaxData*>(ctx.allocate_persistent(sizeof(SoftmaxData), alignof(SoftmaxData)));
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = SoftmaxData();
  d->beta = ctx.op().options.scalar<float>(0, 0.0f);
  KILN_TRY(plan_shape(ctx, d));
  const model::TensorType in_type = ctx.input(0)->type;
  if (in_type == model::TensorType::kFloat32) {
    KILN_TRY(expect_type(ctx, ctx.output(0), model::TensorType::kFloat32, "output"));
  } else if (in_type == model::TensorType::kInt8) {
    KILN_TRY(plan_quantized(ctx, d));
  } else {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported (float32 or int8)",
                    model::tensor_type_name(in_type));
  }
  ctx.set_macs(static_cast<uint64_t>(d->outer) * d->depth);
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const auto& d = *static_cast<const SoftmaxData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  switch (d.kind) {
    case SoftmaxKind::kFloat:
      kernels::softmax_f32(in->as<float>(), out->as<float>(), d.outer, d.depth, d.beta);
      break;
    case SoftmaxKind::kInt8:
      kernels::softmax_s8(in->as<int8_t>(), out->as<int8_t>(), d.outer, d.depth, d.quant);
      break;
    case SoftmaxKind::kInt8ToInt16:
      kernels::softmax_s8_s16(in->as<int8_t>(), out->as<int16_t>(), d.outer, d.depth, d.quant);
      break;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& softmax() {
  static const KernelRegistration kReg{static_cast<int32_t>(model::BuiltinOp::kSoftmax), prepare, invoke};
  return kReg;
}

}  // namespace kiln::runtime::ops
