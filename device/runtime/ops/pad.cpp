// PAD and PADV2 (the optional third input is the pad value): int8, int16,
// int32 and float32, rank <= 6, constant non-negative paddings.
// Without a pad value int8 pads with the output zero point and the other
// types with 0, as TFLite Micro does (int16 zero points are 0 anyway).
#include "kiln/kernels/pad.h"

#include <string.h>

#include "kiln/runtime/op_data/pad.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

// paddings: [rank, 2] int32 or int64, constant, every entry >= 0.
Status read_paddings(PrepareContext& ctx, const Tensor* in, const Tensor* out,
                     kernels::PadGeometry* g) {
  const Tensor* pads = ctx.input(1);
  const uint32_t rank = in->rank;
  if (!pads->is_constant()) return ctx.fail(Status::kUnsupported, "paddings must be constant");
  if (pads->type != TensorType::kInt32 && pads->type != TensorType::kInt64) {
    return ctx.fail(Status::kUnsupported, "paddings must be int32 or int64");
  }
  if (out->rank != rank || rank > kernels::kMaxPadRank || pads->elements() != rank * 2) {
    return ctx.fail(Status::kInvalidModel, "paddings must be [rank, 2] with rank <= %lu",
                    static_cast<unsigned long>(kernels::kMaxPadRank));
  }
  g->rank = rank;
  for (uint32_t i = 0; i < 2 * rank; ++i) {
    int64_t v = 0;
    if (pads->type == TensorType::kInt32) {
      int32_t v32;
      memcpy(&v32, pads->data + 4 * i, 4);
      v = v32;
    } else {
      memcpy(&v, pads->data + 8 * i, 8);
    }
    if (v < 0 || v > INT32_MAX) return ctx.fail(Status::kUnsupported, "negative or huge padding");
    if (i % 2 == 0) {
      g->before[i / 2] = static_cast<int32_t>(v);
    } else {
      g->after[i / 2] = static_cast<int32_t>(v);
    }
  }
  for (uint32_t i = 0; i < rank; ++i) {
    g->in_dims[i] = in->dims[i];
    if (static_cast<int64_t>(g->before[i]) + in->dims[i] + g->after[i] != out->dims[i]) {
      return ctx.fail(Status::kInvalidModel, "output dim %lu does not match the paddings",
                      static_cast<unsigned long>(i));
    }
  }
  return Status::kOk;
}

Status read_pad_value(PrepareContext& ctx, const Tensor* out, PadData* d) {
  const Tensor* value = ctx.input_count() > 2 ? ctx.input(2) : nullptr;
  if (value == nullptr) {
    if (out->type != TensorType::kInt8) return Status::kOk;  // zeros
    float so;
    int32_t zo;
    KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
    if (zo < INT8_MIN || zo > INT8_MAX) return ctx.fail(Status::kUnsupported, "bad zero point");
    d->value[0] = static_cast<uint8_t>(static_cast<int8_t>(zo));
    return Status::kOk;
  }
  KILN_TRY(expect_type(ctx, value, out->type, "pad value"));
  if (value->elements() != 1) return ctx.fail(Status::kInvalidModel, "pad value must be a scalar");
  if (out->type == TensorType::kInt8) {
    float sv, so;
    int32_t zv, zo;
    KILN_TRY(tensor_quant(ctx, ctx.input_info(2), "pad value", &sv, &zv));
    KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
    if (sv != so || zv != zo) {
      return ctx.fail(Status::kUnsupported, "pad value must share the output quantization");
    }
  }
  if (value->is_constant()) {
    memcpy(d->value, value->data, d->g.element_size);
  } else {
    d->value_from_input = true;
  }
  return Status::kOk;
}

Status prepare(PrepareContext& ctx) {
  if (ctx.input_count() < 2 || ctx.input_count() > 3) {
    return ctx.fail(Status::kInvalidModel, "expects 2 or 3 inputs");
  }
  KILN_TRY(expect_io(ctx, 2, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  if (in->type != TensorType::kInt8 && in->type != TensorType::kInt16 &&
      in->type != TensorType::kInt32 && in->type != TensorType::kFloat32) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported (int8, int16, int32, float32)",
                    model::tensor_type_name(in->type));
  }
  KILN_TRY(expect_type(ctx, out, in->type, "output"));
  PadData* d = ctx.allocate_array<PadData>(1);
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = PadData{};  // the arena hands out raw memory: no constructor ran
  d->g.element_size = model::tensor_type_size(in->type);
  KILN_TRY(read_paddings(ctx, in, out, &d->g));
  KILN_TRY(read_pad_value(ctx, out, d));
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const PadData& d = *static_cast<const PadData*>(ctx.op_data());
  const void* value = d.value_from_input ? ctx.input(2)->data : d.value;
  kernels::pad(d.g, ctx.input(0)->data, value, ctx.output(0)->data);
  return Status::kOk;
}

}  // namespace

const KernelRegistration& pad() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kPad), prepare,
                                      invoke};
  return reg;
}

// PADV2 is PAD with the pad value as a third input; same kernel.
const KernelRegistration& pad_v2() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kPadV2), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
