// RELU6 as TFLite Micro runs it: int8/int16 clamp to [zero, quantized 6.0]
// in the *input's* quantization without requantizing (TFLM assumes the
// output shares it); float32 clamps to [0, 6].
#include "kiln/kernels/activations.h"
#include "kiln/runtime/op_data/relu6.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

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
  ctx.set_macs(in->elements());
  if (in->type == TensorType::kFloat32) return Status::kOk;
  float si;
  int32_t zi;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &si, &zi));
  const bool is_int8 = in->type == TensorType::kInt8;
  const int32_t qmin = is_int8 ? INT8_MIN : INT16_MIN;
  const int32_t qmax = is_int8 ? INT8_MAX : INT16_MAX;
  if (!(si > 0.0f) || zi < qmin || zi > qmax) {
    return ctx.fail(Status::kUnsupported, "input quantization is unusable");
  }
  Relu6Data* d = ctx.allocate_array<Relu6Data>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = Relu6Data{};  // the arena hands out raw memory: no constructor ran
  kernels::relu6_bounds(si, zi, qmin, qmax, &d->lower, &d->upper);
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  const uint32_t n = in->elements();
  if (in->type == TensorType::kFloat32) {
    kernels::relu6_float(in->as<float>(), out->as<float>(), n);
    return Status::kOk;
  }
  const Relu6Data& d = *static_cast<const Relu6Data*>(ctx.op_data());
  if (in->type == TensorType::kInt8) {
    kernels::clamp_int8(in->as<int8_t>(), out->as<int8_t>(), n, d.lower, d.upper);
  } else {
    kernels::clamp_int16(in->as<int16_t>(), out->as<int16_t>(), n, d.lower, d.upper);
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& relu6() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kRelu6), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
