// LOGISTIC glue: float32 and int8 (fixed-point, output scale 1/256 and zero
// point -128 as TFLite fixes them; TFLite Micro checks only the zero point,
// and so do we). int16 is not supported: TFLite's int16 kernel interpolates a
// table kiln does not ship.
#include "kiln/kernels/logistic.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

struct LogisticData {
  kernels::ActivationInputParams input;
  uint32_t count = 0;
  bool quantized = false;
};

Status plan_int8(PrepareContext& ctx, LogisticData* d) {
  float in_scale = 0.0f, out_scale = 0.0f;
  int32_t in_zero_point = 0, out_zero_point = 0;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &in_scale, &in_zero_point));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &out_scale, &out_zero_point));
  if (out_zero_point != -128) {
    return ctx.fail(Status::kUnsupported, "int8 output zero point must be -128, got %ld",
                    static_cast<long>(out_zero_point));
  }
  if (!kernels::activation_input_params(in_scale, in_zero_point, &d->input)) {
    return ctx.fail(Status::kUnsupported, "input scale %g is out of the fixed-point range",
                    static_cast<double>(in_scale));
  }
  d->quantized = true;
  return Status::kOk;
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 1, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  KILN_TRY(expect_type(ctx, out, in->type, "output"));
  KILN_TRY(expect_shape(ctx, out, in->dims, in->rank, "output"));
  auto* d = static_cast<LogisticData*>(ctx.allocate_persistent(sizeof(LogisticData), alignof(LogisticData)));
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = LogisticData();
  d->count = in->elements();
  if (in->type == model::TensorType::kInt8) {
    KILN_TRY(plan_int8(ctx, d));
  } else if (in->type != model::TensorType::kFloat32) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported (float32 or int8)",
                    model::tensor_type_name(in->type));
  }
  ctx.set_macs(d->count);
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const auto& d = *static_cast<const LogisticData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  if (d.quantized) {
    kernels::logistic_s8(in->as<int8_t>(), out->as<int8_t>(), d.count, d.input);
  } else {
    kernels::logistic_f32(in->as<float>(), out->as<float>(), d.count);
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& logistic() {
  static const KernelRegistration kReg{static_cast<int32_t>(model::BuiltinOp::kLogistic), prepare, invoke};
  return kReg;
}

}  // namespace kiln::runtime::ops
