// MUL: int8, int16 (zero points 0, as TFLite Micro requires) and float32,
// with broadcasting and a fused activation.
#include "kiln/kernels/elementwise.h"
#include "kiln/runtime/op_data/mul.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

constexpr uint32_t kFusedActivationField = 0;  // MulOptions

Status prepare_quantized(PrepareContext& ctx, model::Activation act, MulData* d) {
  const bool is_int8 = ctx.output(0)->type == TensorType::kInt8;
  const int32_t qmin = is_int8 ? INT8_MIN : INT16_MIN;
  const int32_t qmax = is_int8 ? INT8_MAX : INT16_MAX;
  float s1, s2, so;
  int32_t z1, z2, zo;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input 1", &s1, &z1));
  KILN_TRY(tensor_quant(ctx, ctx.input_info(1), "input 2", &s2, &z2));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
  if (!is_int8 && (z1 != 0 || z2 != 0 || zo != 0)) {
    return ctx.fail(Status::kUnsupported, "int16 MUL needs zero points of 0");
  }
  if (!(s1 > 0.0f) || !(s2 > 0.0f) || !(so > 0.0f) ||
      !kernels::make_mul_params(s1, z1, s2, z2, so, zo, &d->q)) {
    return ctx.fail(Status::kUnsupported, "scales give an unusable output multiplier");
  }
  activation_range_quantized(act, so, zo, qmin, qmax, &d->q.act_min, &d->q.act_max);
  return Status::kOk;
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 2, 1));
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  const Tensor* out = ctx.output(0);
  if (out->type != TensorType::kInt8 && out->type != TensorType::kInt16 &&
      out->type != TensorType::kFloat32) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported (int8, int16, float32)",
                    model::tensor_type_name(out->type));
  }
  KILN_TRY(expect_type(ctx, a, out->type, "input 1"));
  KILN_TRY(expect_type(ctx, b, out->type, "input 2"));
  KILN_TRY(expect_options(ctx, model::OptionsType::kMul));
  const auto act =
      static_cast<model::Activation>(ctx.op().options.scalar<int8_t>(kFusedActivationField, 0));
  KILN_TRY(expect_activation(ctx, act));
  MulData* d = ctx.allocate_array<MulData>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = MulData{};  // the arena hands out raw memory: no constructor ran
  if (!kernels::make_broadcast_plan(a->dims, a->rank, b->dims, b->rank, out->dims, out->rank,
                                    &d->plan)) {
    return ctx.fail(Status::kInvalidModel, "input shapes do not broadcast to the output shape");
  }
  if (out->type == TensorType::kFloat32) {
    activation_range_float(act, &d->act.min, &d->act.max);
  } else {
    KILN_TRY(prepare_quantized(ctx, act, d));
  }
  ctx.set_op_data(d);
  ctx.set_macs(d->plan.elements);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const MulData& d = *static_cast<const MulData*>(ctx.op_data());
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  switch (out->type) {
    case TensorType::kInt8:
      kernels::mul_int8(d.plan, d.q, a->as<int8_t>(), b->as<int8_t>(), out->as<int8_t>());
      break;
    case TensorType::kInt16:
      kernels::mul_int16(d.plan, d.q, a->as<int16_t>(), b->as<int16_t>(), out->as<int16_t>());
      break;
    default:
      kernels::mul_float(d.plan, d.act, a->as<float>(), b->as<float>(), out->as<float>());
      break;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& mul() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kMul), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
