// DEQUANTIZE: int8/int16 -> float32, scale · (q − zero_point), per tensor.
#include "kiln/kernels/quantize.h"
#include "kiln/runtime/op_data/dequantize.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 1, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  if (in->type != TensorType::kInt8 && in->type != TensorType::kInt16) {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported (int8, int16)",
                    model::tensor_type_name(in->type));
  }
  KILN_TRY(expect_type(ctx, out, TensorType::kFloat32, "output"));
  if (in->elements() != out->elements()) {
    return ctx.fail(Status::kInvalidModel, "input and output sizes differ");
  }
  if (ctx.input_info(0).quant.scale.size() != 1) {
    return ctx.fail(Status::kUnsupported, "input must be quantized per tensor");
  }
  DequantizeData* d = ctx.allocate_array<DequantizeData>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = DequantizeData{};  // the arena hands out raw memory: no constructor ran
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &d->scale, &d->zero_point));
  ctx.set_op_data(d);
  ctx.set_macs(in->elements());
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const DequantizeData& d = *static_cast<const DequantizeData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  if (in->type == TensorType::kInt8) {
    kernels::dequantize(in->as<int8_t>(), in->elements(), d.scale, d.zero_point, out->as<float>());
  } else {
    kernels::dequantize(in->as<int16_t>(), in->elements(), d.scale, d.zero_point, out->as<float>());
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& dequantize() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kDequantize), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
