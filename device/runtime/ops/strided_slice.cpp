// STRIDED_SLICE: int8, int16, int32, float32 and bool, rank <= 6, constant
// int32 begin/end/strides (one entry per input axis), with begin, end and
// shrink-axis masks, negative indices and strides, and the offset flag.
// Ellipsis and new-axis masks are rejected (TFLite Micro ignores them).
#include "kiln/kernels/strided_slice.h"

#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

using model::TensorType;

// StridedSliceOptions fields.
constexpr uint32_t kBeginMaskField = 0;
constexpr uint32_t kEndMaskField = 1;
constexpr uint32_t kEllipsisMaskField = 2;
constexpr uint32_t kNewAxisMaskField = 3;
constexpr uint32_t kShrinkAxisMaskField = 4;
constexpr uint32_t kOffsetField = 5;

bool supported_type(TensorType t) {
  return t == TensorType::kInt8 || t == TensorType::kInt16 || t == TensorType::kInt32 ||
         t == TensorType::kFloat32 || t == TensorType::kBool;
}

// Copies a constant int32 vector input with one entry per input axis.
Status read_indices(PrepareContext& ctx, uint32_t input, const char* what, uint32_t rank,
                    int32_t* dst) {
  const Tensor* t = ctx.input(input);
  KILN_TRY(expect_type(ctx, t, TensorType::kInt32, what));
  if (!t->is_constant()) return ctx.fail(Status::kUnsupported, "%s must be constant", what);
  if (t->elements() != rank) {
    return ctx.fail(Status::kUnsupported, "%s has %lu entries, the input rank is %lu", what,
                    static_cast<unsigned long>(t->elements()), static_cast<unsigned long>(rank));
  }
  for (uint32_t i = 0; i < rank; ++i) dst[i] = t->as<int32_t>()[i];
  return Status::kOk;
}

Status read_spec(PrepareContext& ctx, uint32_t rank, kernels::StridedSliceSpec* s) {
  const model::Table& o = ctx.op().options;
  if (o.scalar<int32_t>(kEllipsisMaskField, 0) != 0 ||
      o.scalar<int32_t>(kNewAxisMaskField, 0) != 0) {
    return ctx.fail(Status::kUnsupported, "ellipsis_mask and new_axis_mask are not supported");
  }
  s->rank = rank;
  s->begin_mask = static_cast<uint32_t>(o.scalar<int32_t>(kBeginMaskField, 0));
  s->end_mask = static_cast<uint32_t>(o.scalar<int32_t>(kEndMaskField, 0));
  s->shrink_axis_mask = static_cast<uint32_t>(o.scalar<int32_t>(kShrinkAxisMaskField, 0));
  s->offset = o.scalar<uint8_t>(kOffsetField, 0) != 0;
  KILN_TRY(read_indices(ctx, 1, "begin", rank, s->begin));
  KILN_TRY(read_indices(ctx, 2, "end", rank, s->end));
  return read_indices(ctx, 3, "strides", rank, s->strides);
}

// The output keeps every axis that is not shrunk, in order.
Status check_output(PrepareContext& ctx, const kernels::StridedSliceSpec& s,
                    const kernels::StridedSlicePlan& p, const Tensor* out) {
  uint32_t k = 0;
  for (uint32_t a = 0; a < p.rank; ++a) {
    if ((s.shrink_axis_mask >> a) & 1u) continue;
    if (k >= out->rank || out->dims[k] != p.count[a]) {
      return ctx.fail(Status::kInvalidModel, "output shape does not match the slice (axis %lu)",
                      static_cast<unsigned long>(a));
    }
    ++k;
  }
  if (k != out->rank)
    return ctx.fail(Status::kInvalidModel, "output rank does not match the slice");
  return Status::kOk;
}

Status prepare(PrepareContext& ctx) {
  KILN_TRY(expect_io(ctx, 4, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  if (!supported_type(in->type)) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported",
                    model::tensor_type_name(in->type));
  }
  KILN_TRY(expect_type(ctx, out, in->type, "output"));
  if (in->rank > kernels::kMaxSliceRank) {
    return ctx.fail(Status::kUnsupported, "input rank %lu is above %lu",
                    static_cast<unsigned long>(in->rank),
                    static_cast<unsigned long>(kernels::kMaxSliceRank));
  }
  KILN_TRY(expect_options(ctx, model::OptionsType::kStridedSlice));
  kernels::StridedSliceSpec spec;
  KILN_TRY(read_spec(ctx, in->rank, &spec));
  kernels::StridedSlicePlan* plan = ctx.allocate_array<kernels::StridedSlicePlan>(1);
  if (plan == nullptr) return Status::kArenaTooSmall;
  *plan = kernels::StridedSlicePlan{};  // the arena hands out raw memory: no constructor ran
  switch (kernels::plan_strided_slice(spec, in->dims, model::tensor_type_size(in->type), plan)) {
    case kernels::SliceError::kNone:
      break;
    case kernels::SliceError::kZeroStride:
      return ctx.fail(Status::kInvalidModel, "a stride is 0");
    case kernels::SliceError::kShrinkOutOfRange:
      return ctx.fail(Status::kUnsupported,
                      "a shrunk axis must select one element with a positive stride");
    default:
      return ctx.fail(Status::kUnsupported, "input too large");
  }
  KILN_TRY(check_output(ctx, spec, *plan, out));
  ctx.set_op_data(plan);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const kernels::StridedSlicePlan& plan =
      *static_cast<const kernels::StridedSlicePlan*>(ctx.op_data());
  kernels::strided_slice(plan, ctx.input(0)->data, ctx.output(0)->data);
  return Status::kOk;
}

}  // namespace

const KernelRegistration& strided_slice() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kStridedSlice),
                                      prepare, invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
