// RELU: int8 and int16 requantize from the input to the output scale and
// clamp at the output's zero (TFLM ReluQuantized); float32 is max(x, 0).
#include "kiln/kernels/activations.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

Status check_tensors(PrepareContext& ctx) {
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
  return Status::kOk;
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(check_tensors(ctx));
  const Tensor* in = ctx.input(0);
  ctx.set_macs(in->elements());
  if (in->type == TensorType::kFloat32) return Status::kOk;
  float si, so;
  int32_t zi, zo;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &si, &zi));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
  const bool is_int8 = in->type == TensorType::kInt8;
  if (!is_int8 && (zi != 0 || zo != 0)) {
    return ctx.fail(Status::kUnsupported, "int16 RELU needs zero points of 0");
  }
  kernels::ReluParams* p = ctx.allocate_array<kernels::ReluParams>(1);
  if (p == nullptr) return Status::kArenaTooSmall;
  *p = kernels::ReluParams{};  // the arena hands out raw memory: no constructor ran
  if (!(si > 0.0f) || !(so > 0.0f) ||
      !kernels::make_relu_params(si, zi, so, zo, is_int8 ? INT8_MIN : INT16_MIN,
                                 is_int8 ? INT8_MAX : INT16_MAX, p)) {
    return ctx.fail(Status::kUnsupported, "input/output scales give an unusable multiplier");
  }
  ctx.set_op_data(p);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  const uint32_t n = in->elements();
  switch (in->type) {
    case TensorType::kInt8:
      kernels::relu_int8(*static_cast<const kernels::ReluParams*>(ctx.op_data()), in->as<int8_t>(),
                         out->as<int8_t>(), n);
      break;
    case TensorType::kInt16:
      kernels::relu_int16(*static_cast<const kernels::ReluParams*>(ctx.op_data()),
                          in->as<int16_t>(), out->as<int16_t>(), n);
      break;
    default:
      kernels::relu_float(in->as<float>(), out->as<float>(), n);
      break;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& relu() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kRelu), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
