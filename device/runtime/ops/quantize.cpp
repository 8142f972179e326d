// QUANTIZE: float32 -> int8/int16 (round half away from zero in float), and
// int -> int requantization for the pairs TFLite Micro supports:
// int8 -> int8/int16/int32, int16 -> int8/int16/int32, int32 -> int8/int16.
#include "kiln/kernels/quantize.h"

#include "kiln/runtime/op_data/quantize.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

bool supported_pair(TensorType in, TensorType out) {
  const bool out_ok =
      out == TensorType::kInt8 || out == TensorType::kInt16 || out == TensorType::kInt32;
  switch (in) {
    case TensorType::kFloat32:
      return out == TensorType::kInt8 || out == TensorType::kInt16;
    case TensorType::kInt8:
    case TensorType::kInt16:
      return out_ok;
    case TensorType::kInt32:
      return out == TensorType::kInt8 || out == TensorType::kInt16;
    default:
      return false;
  }
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 1, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  if (!supported_pair(in->type, out->type)) {
    return ctx.fail(Status::kUnsupported, "%s -> %s is not supported",
                    model::tensor_type_name(in->type), model::tensor_type_name(out->type));
  }
  if (in->elements() != out->elements()) {
    return ctx.fail(Status::kInvalidModel, "input and output sizes differ");
  }
  if (ctx.output_info(0).quant.scale.size() != 1) {
    return ctx.fail(Status::kUnsupported, "output must be quantized per tensor");
  }
  QuantizeData* d = ctx.allocate_array<QuantizeData>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = QuantizeData{};  // the arena hands out raw memory: no constructor ran
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &d->scale, &d->zero_point));
  if (!(d->scale > 0.0f)) return ctx.fail(Status::kInvalidModel, "output scale must be positive");
  if (in->type != TensorType::kFloat32) {
    float si;
    int32_t zi;
    KILN_TRY(tensor_quant(ctx, ctx.input_info(0), "input", &si, &zi));
    if (!(si > 0.0f) || !kernels::make_requantize_params(si, zi, d->scale, d->zero_point, &d->rq)) {
      return ctx.fail(Status::kUnsupported, "input/output scales give an unusable multiplier");
    }
  }
  ctx.set_op_data(d);
  ctx.set_macs(in->elements());
  return Status::kOk;
}

template <typename In>
void requantize_from(const QuantizeData& d, const Tensor* in, Tensor* out) {
  const In* x = in->as<In>();
  const uint32_t n = in->elements();
  switch (out->type) {
    case TensorType::kInt8:
      kernels::requantize(d.rq, x, n, out->as<int8_t>());
      break;
    case TensorType::kInt16:
      kernels::requantize(d.rq, x, n, out->as<int16_t>());
      break;
    default:
      kernels::requantize(d.rq, x, n, out->as<int32_t>());
      break;
  }
}

// int32 -> int32 is rejected in prepare; this keeps the dispatch total.
template <>
void requantize_from<int32_t>(const QuantizeData& d, const Tensor* in, Tensor* out) {
  const int32_t* x = in->as<int32_t>();
  const uint32_t n = in->elements();
  if (out->type == TensorType::kInt8) {
    kernels::requantize(d.rq, x, n, out->as<int8_t>());
  } else {
    kernels::requantize(d.rq, x, n, out->as<int16_t>());
  }
}

Status invoke(InvokeContext& ctx) {
  const QuantizeData& d = *static_cast<const QuantizeData*>(ctx.op_data());
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  switch (in->type) {
    case TensorType::kFloat32:
      if (out->type == TensorType::kInt8) {
        kernels::quantize_float_to_int8(in->as<float>(), in->elements(), d.scale, d.zero_point,
                                        out->as<int8_t>());
      } else {
        kernels::quantize_float_to_int16(in->as<float>(), in->elements(), d.scale, d.zero_point,
                                         out->as<int16_t>());
      }
      break;
    case TensorType::kInt8:
      requantize_from<int8_t>(d, in, out);
      break;
    case TensorType::kInt16:
      requantize_from<int16_t>(d, in, out);
      break;
    default:
      requantize_from<int32_t>(d, in, out);
      break;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& quantize() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kQuantize), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
