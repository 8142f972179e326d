// RESHAPE: the output shape is the model's output tensor shape (the optional
// shape input and options are not needed); the data is copied unless the
// interpreter placed input and output in the same buffer.
#include <string.h>

#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

Status prepare(PrepareContext& ctx) {
  if (ctx.input_count() < 1 || ctx.input_count() > 2) {
    return ctx.fail(Status::kInvalidModel, "expects 1 or 2 inputs");
  }
  KILN_TRY(expect_io(ctx, 1, 1));
  const Tensor* in = ctx.input(0);
  const Tensor* out = ctx.output(0);
  KILN_TRY(expect_type(ctx, out, in->type, "output"));
  if (model::tensor_type_size(in->type) == 0) {
    return ctx.fail(Status::kUnsupported, "type %s is not supported",
                    model::tensor_type_name(in->type));
  }
  if (in->elements() != out->elements() || in->bytes != out->bytes) {
    return ctx.fail(Status::kInvalidModel, "input has %lu elements, output %lu",
                    static_cast<unsigned long>(in->elements()),
                    static_cast<unsigned long>(out->elements()));
  }
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  if (out->data != in->data && out->bytes != 0) memmove(out->data, in->data, out->bytes);
  return Status::kOk;
}

}  // namespace

const KernelRegistration& reshape() {
  static const KernelRegistration reg{static_cast<int32_t>(model::BuiltinOp::kReshape), prepare,
                                      invoke};
  return reg;
}

}  // namespace kiln::runtime::ops
