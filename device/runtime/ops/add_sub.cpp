// ADD and SUB: int8, int16 and float32 with broadcasting and a fused
// activation; one prepare, the kernel picked by the operator.
// int16 always takes TFLite Micro's general-scale path (left shift 15):
// TFLM ignores pot_scale_int16, and so do we. The scale ratios are formed in
// double as TFLite does (TFLM forms SUB's in float and then differs from the
// seanet goldens by one step in a few elements; its own test allows ±1).
#include "kiln/kernels/elementwise.h"
#include "kiln/runtime/op_data/add_sub.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

constexpr uint32_t kFusedActivationField = 0;  // AddOptions and SubOptions

Status prepare_quantized(PrepareContext& ctx, model::Activation act, AddSubData* d) {
  const bool is_int8 = ctx.output(0)->type == TensorType::kInt8;
  const int32_t qmin = is_int8 ? INT8_MIN : INT16_MIN;
  const int32_t qmax = is_int8 ? INT8_MAX : INT16_MAX;
  float s1, s2, so;
  int32_t z1, z2, zo;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input 1", &s1, &z1));
  KILN_TRY(tensor_quant(ctx, ctx.input_info(1), "input 2", &s2, &z2));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
  if (!kernels::make_add_sub_params(s1, z1, s2, z2, so, zo, is_int8 ? 20 : 15, &d->q)) {
    return ctx.fail(Status::kUnsupported,
                    "input/output scales give rescale factors outside (0, 1)");
  }
  activation_range_quantized(act, so, zo, qmin, qmax, &d->q.act_min, &d->q.act_max);
  return Status::kOk;
}

Status prepare(PrepareContext& ctx, model::OptionsType options, bool subtract) {
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
  KILN_TRY(expect_options(ctx, options));
  const auto act =
      static_cast<model::Activation>(ctx.op().options.scalar<int8_t>(kFusedActivationField, 0));
  KILN_TRY(expect_activation(ctx, act));
  AddSubData* d = ctx.allocate_array<AddSubData>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = AddSubData{};  // the arena hands out raw memory: no constructor ran
  d->subtract = subtract;
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
  const AddSubData& d = *static_cast<const AddSubData*>(ctx.op_data());
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  switch (out->type) {
    case TensorType::kInt8:
      (d.subtract ? kernels::sub_int8 : kernels::add_int8)(d.plan, d.q, a->as<int8_t>(), b->as<int8_t>(),
                                                          out->as<int8_t>());
      break;
    case TensorType::kInt16:
      (d.subtract ? kernels::sub_int16 : kernels::add_int16)(d.plan, d.q, a->as<int16_t>(), b->as<int16_t>(),
                                                            out->as<int16_t>());
      break;
    default:
      (d.subtract ? kernels::sub_float : kernels::add_float)(d.plan, d.act, a->as<float>(), b->as<float>(),
                                                            out->as<float>());
      break;
  }
  return Status::kOk;
}

Status prepare_add(PrepareContext& ctx) { return prepare(ctx, model::OptionsType::kAdd, false); }
Status prepare_sub(PrepareContext& ctx) { return prepare(ctx, model::OptionsType::kSub, true); }

}  // namespace

const KernelRegistration& add() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kAdd), prepare_add, invoke};
  return reg;
}

const KernelRegistration& sub() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kSub), prepare_sub, invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
