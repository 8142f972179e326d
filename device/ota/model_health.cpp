#include "kiln/ota/model_health.h"

#include <string.h>

#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"

namespace kiln::ota {

Status check_model_health(const uint8_t* mapped_area, const boot::ImageInfo& info, const runtime::OpResolver& ops,
                          uint8_t* arena, size_t arena_size, Diag* diag) {
  if (info.kind != boot::ImageKind::kModel) return diag->fail(Status::kInvalidArgument, "health: not a model image");
  if (info.health_input_size == 0 || info.health_output_size == 0) {
    return diag->fail(Status::kRejected, "health: the model image carries no health-check vectors");
  }
  model::Model model;
  KILN_TRY(model.load(mapped_area + info.header.hdr_size, info.header.img_size, *diag));
  runtime::Interpreter interp(model, ops, arena, arena_size);
  if (interp.init() != Status::kOk) {
    return diag->fail(interp.diag().status(), "health: model does not initialise: %s", interp.diag().message());
  }
  if (interp.input_count() != 1 || interp.output_count() != 1) {
    return diag->fail(Status::kUnsupported, "health: needs a model with one input and one output");
  }
  runtime::Tensor* in = interp.input(0);
  if (in->bytes != info.health_input_size) {
    return diag->fail(Status::kInvalidArgument, "health: stored input has %lu bytes, the model takes %lu",
                      static_cast<unsigned long>(info.health_input_size), static_cast<unsigned long>(in->bytes));
  }
  memcpy(in->data, mapped_area + info.health_input_offset, in->bytes);
  if (interp.invoke() != Status::kOk) {
    return diag->fail(interp.diag().status(), "health: inference failed: %s", interp.diag().message());
  }
  const runtime::Tensor* out = interp.output(0);
  if (out->bytes != info.health_output_size ||
      memcmp(out->data, mapped_area + info.health_output_offset, out->bytes) != 0) {
    return diag->fail(Status::kRejected, "health: output differs from the stored expected output");
  }
  return Status::kOk;
}

}  // namespace kiln::ota
