// CONCATENATION: any number of inputs, any axis (negative counts from the
// end), float32/int8/int16/int32/int64/bool. A pure copy: as in TFLite Micro,
// int8 inputs must share the output's scale and zero point and int16 zero
// points must be 0.
#include "kiln/kernels/concatenation.h"

#include "kiln/runtime/op_data/concatenation.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

// ConcatenationOptions fields.
constexpr uint32_t kAxisField = 0;
constexpr uint32_t kFusedActivationField = 1;

bool supported_type(TensorType t) {
  return t == TensorType::kFloat32 || t == TensorType::kInt8 || t == TensorType::kInt16 ||
         t == TensorType::kInt32 || t == TensorType::kInt64 || t == TensorType::kBool;
}

Status check_quantization(PrepareContext& ctx, uint32_t i, TensorType type) {
  if (type != TensorType::kInt8 && type != TensorType::kInt16) return Status::kOk;
  float si, so;
  int32_t zi, zo;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(i), "input", &si, &zi));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &so, &zo));
  if (type == TensorType::kInt8 && (si != so || zi != zo)) {
    return ctx.fail(Status::kUnsupported, "int8 input %lu must share the output's quantization",
                    static_cast<unsigned long>(i));
  }
  if (type == TensorType::kInt16 && (zi != 0 || zo != 0)) {
    return ctx.fail(Status::kUnsupported, "int16 zero points must be 0");
  }
  return Status::kOk;
}

// Input i must match the output everywhere but the axis; returns its axis extent.
Status check_input(PrepareContext& ctx, uint32_t i, uint32_t axis, int32_t* axis_dim) {
  const Tensor* in = ctx.input(i);
  const Tensor* out = ctx.output(0);
  if (in == nullptr)
    return ctx.fail(Status::kInvalidModel, "input %lu is missing", static_cast<unsigned long>(i));
  KILN_TRY(expect_type(ctx, in, out->type, "input"));
  if (in->rank != out->rank)
    return ctx.fail(Status::kInvalidModel, "input ranks differ from the output's");
  for (uint32_t k = 0; k < out->rank; ++k) {
    if (k != axis && in->dims[k] != out->dims[k]) {
      return ctx.fail(Status::kInvalidModel, "input %lu dim %lu differs from the output",
                      static_cast<unsigned long>(i), static_cast<unsigned long>(k));
    }
  }
  *axis_dim = in->dims[axis];
  return check_quantization(ctx, i, out->type);
}

Status prepare(PrepareContext& ctx) {
  const uint32_t n = ctx.input_count();
  if (n == 0) return ctx.fail(Status::kInvalidModel, "no inputs");
  KILN_TRY(expect_io(ctx, n, 1));
  const Tensor* out = ctx.output(0);
  if (!supported_type(out->type)) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported",
                    model::tensor_type_name(out->type));
  }
  KILN_TRY(expect_options(ctx, model::OptionsType::kConcatenation));
  if (ctx.op().options.scalar<int8_t>(kFusedActivationField, 0) != 0) {
    return ctx.fail(Status::kUnsupported, "fused activation is not supported");
  }
  const int32_t raw_axis = ctx.op().options.scalar<int32_t>(kAxisField, 0);
  const int64_t axis = raw_axis < 0 ? static_cast<int64_t>(raw_axis) + out->rank : raw_axis;
  if (axis < 0 || axis >= out->rank)
    return ctx.fail(Status::kInvalidModel, "axis %ld out of range", static_cast<long>(raw_axis));
  ConcatData* d = ctx.allocate_array<ConcatData>(1);
  uint32_t* chunks = ctx.allocate_array<uint32_t>(n);
  if (d == nullptr || chunks == nullptr) return Status::kArenaTooSmall;
  *d = ConcatData{};  // the arena hands out raw memory: no constructor ran
  uint64_t inner = model::tensor_type_size(out->type);
  for (uint32_t k = static_cast<uint32_t>(axis) + 1; k < out->rank; ++k)
    inner *= static_cast<uint32_t>(out->dims[k]);
  for (uint32_t k = 0; k < axis; ++k) d->outer *= static_cast<uint32_t>(out->dims[k]);
  int64_t axis_total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    int32_t axis_dim = 0;
    KILN_TRY(check_input(ctx, i, static_cast<uint32_t>(axis), &axis_dim));
    axis_total += axis_dim;
    chunks[i] = static_cast<uint32_t>(inner * static_cast<uint64_t>(axis_dim));
  }
  if (axis_total != out->dims[axis]) {
    return ctx.fail(Status::kInvalidModel,
                    "input extents along the axis do not add up to the output's");
  }
  d->row_bytes = static_cast<uint32_t>(inner * static_cast<uint64_t>(axis_total));
  d->chunk_bytes = chunks;
  d->inputs = n;
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const ConcatData& d = *static_cast<const ConcatData*>(ctx.op_data());
  Tensor* out = ctx.output(0);
  uint32_t offset = 0;
  for (uint32_t i = 0; i < d.inputs; ++i) {
    kernels::concat_input(ctx.input(i)->data, d.chunk_bytes[i], d.outer, d.row_bytes, offset,
                          out->data);
    offset += d.chunk_bytes[i];
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& concatenation() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kConcatenation),
                                      prepare, invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
