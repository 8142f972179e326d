// LOGISTIC and TANH glue: float32 and int8 (fixed-point). One prepare; the
// kernel is picked by the operator.
// LOGISTIC's int8 output is scale 1/256, zero point -128 as TFLite fixes
// them; TFLite Micro checks only the zero point, and so do we. TANH's int8
// output is implicitly scale 1/128, zero point 0; TFLite Micro checks none of
// it and neither do we, so outputs match it for any model it runs.
// int16 is not supported: TFLite's int16 kernels interpolate tables kiln does
// not ship.
#include "kiln/kernels/logistic.h"
#include "kiln/kernels/tanh.h"
#include "kiln/runtime/op_data/logistic_tanh.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

Status plan_int8(PrepareContext& ctx, SigmoidData* d) {
  float in_scale = 0.0f;
  int32_t in_zero_point = 0;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &in_scale, &in_zero_point));
  if (!d->tanh) {
    float out_scale = 0.0f;
    int32_t out_zero_point = 0;
    KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &out_scale, &out_zero_point));
    if (out_zero_point != -128) {
      return ctx.fail(Status::kUnsupported, "int8 output zero point must be -128, got %ld",
                      static_cast<long>(out_zero_point));
    }
  }
  if (!kernels::activation_input_params(in_scale, in_zero_point, &d->input)) {
    return ctx.fail(Status::kUnsupported, "input scale %g is out of the fixed-point range",
                    static_cast<double>(in_scale));
  }
  d->quantized = true;
  return Status::kOk;
}

Status prepare(PrepareContext& ctx, bool tanh) {
  KILN_TRY(expect_io(ctx, 1, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  KILN_TRY(expect_type(ctx, out, in->type, "output"));
  KILN_TRY(expect_shape(ctx, out, in->dims, in->rank, "output"));
  auto* d = static_cast<SigmoidData*>(ctx.allocate_persistent(sizeof(SigmoidData), alignof(SigmoidData)));
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = SigmoidData();
  d->tanh = tanh;
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
  const auto& d = *static_cast<const SigmoidData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  if (d.quantized) {
    (d.tanh ? kernels::tanh_s8 : kernels::logistic_s8)(in->as<int8_t>(), out->as<int8_t>(), d.count, d.input);
  } else {
    (d.tanh ? kernels::tanh_f32 : kernels::logistic_f32)(in->as<float>(), out->as<float>(), d.count);
  }
  return Status::kOk;
}

Status prepare_logistic(PrepareContext& ctx) { return prepare(ctx, false); }
Status prepare_tanh(PrepareContext& ctx) { return prepare(ctx, true); }

}  // namespace

const KernelRegistration& logistic() {
  static const KernelRegistration kReg{static_cast<int32_t>(model::BuiltinOp::kLogistic), prepare_logistic,
                                       invoke};
  return kReg;
}

const KernelRegistration& tanh() {
  static const KernelRegistration kReg{static_cast<int32_t>(model::BuiltinOp::kTanh), prepare_tanh, invoke};
  return kReg;
}

}  // namespace kiln::runtime::ops
