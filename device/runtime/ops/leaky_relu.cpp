// LEAKY_RELU: int8 and int16 (seanet) with separate identity and alpha
// multipliers (TFLM QuantizeLeakyRelu), float32 x > 0 ? x : alpha·x.
#include "kiln/kernels/activations.h"
#include "kiln/runtime/op_data/leaky_relu.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

constexpr uint32_t kAlphaField = 0;  // LeakyReluOptions

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 1, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  if (in->type != TensorType::kInt8 && in->type != TensorType::kInt16 &&
      in->type != TensorType::kFloat32) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported (int8, int16, float32)",
                    model::tensor_type_name(in->type));
  }
  KILN_TRY(expect_type(ctx, out, in->type, "output"));
  if (in->elements() != out->elements()) {
    return ctx.fail(Status::kInvalidModel, "input and output sizes differ");
  }
  KILN_TRY(expect_options(ctx, model::OptionsType::kLeakyRelu));
  LeakyReluData* d = ctx.allocate_array<LeakyReluData>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = LeakyReluData{};  // the arena hands out raw memory: no constructor ran
  d->alpha = ctx.op().options.scalar<float>(kAlphaField, 0.0f);
  ctx.set_op_data(d);
  ctx.set_macs(in->elements());
  if (in->type == TensorType::kFloat32) return Status::kOk;
  float si, so;
  int32_t zi, zo;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &si, &zi));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
  if (!(si > 0.0f) || !(so > 0.0f) ||
      !kernels::make_leaky_relu_params(si, zi, so, zo, d->alpha, &d->q)) {
    return ctx.fail(Status::kUnsupported, "scales and alpha give an unusable multiplier");
  }
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const LeakyReluData& d = *static_cast<const LeakyReluData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  const uint32_t n = in->elements();
  switch (in->type) {
    case TensorType::kInt8:
      kernels::leaky_relu_int8(d.q, in->as<int8_t>(), out->as<int8_t>(), n);
      break;
    case TensorType::kInt16:
      kernels::leaky_relu_int16(d.q, in->as<int16_t>(), out->as<int16_t>(), n);
      break;
    default:
      kernels::leaky_relu_float(d.alpha, in->as<float>(), out->as<float>(), n);
      break;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& leaky_relu() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kLeakyRelu), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
