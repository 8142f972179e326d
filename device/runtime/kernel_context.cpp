// PrepareContext / InvokeContext: the kernels' window onto the interpreter.
#include <stdarg.h>
#include <stdio.h>

#include "interpreter_internal.h"
#include "kiln/runtime/kernel.h"

namespace kiln::runtime {

namespace {
Tensor* tensor_at(Tensor* tensors, const model::Vec<int32_t>& list, uint32_t i) {
  if (i >= list.size()) return nullptr;
  const int32_t t = list[i];
  return t < 0 ? nullptr : &tensors[t];
}
}  // namespace

const model::Model& PrepareContext::model() const { return interp_.model_; }

Tensor* PrepareContext::input(uint32_t i) const { return tensor_at(interp_.tensors_, op_.inputs, i); }
Tensor* PrepareContext::output(uint32_t i) const { return tensor_at(interp_.tensors_, op_.outputs, i); }

model::TensorView PrepareContext::input_info(uint32_t i) const {
  const int32_t t = i < op_.inputs.size() ? op_.inputs[i] : -1;
  return t < 0 ? model::TensorView() : interp_.model_.tensor(static_cast<uint32_t>(t));
}

model::TensorView PrepareContext::output_info(uint32_t i) const {
  const int32_t t = i < op_.outputs.size() ? op_.outputs[i] : -1;
  return t < 0 ? model::TensorView() : interp_.model_.tensor(static_cast<uint32_t>(t));
}

void* PrepareContext::allocate_persistent(size_t bytes, size_t align) {
  void* p = interp_.allocate_persistent(bytes, align);
  if (p != nullptr) interp_.report_.kernel_data_bytes += static_cast<uint32_t>(bytes);
  return p;
}

Status PrepareContext::request_scratch(size_t bytes, int32_t* handle) {
  return interp_.add_scratch(op_index_, bytes, handle);
}

Status PrepareContext::fail(Status code, const char* fmt, ...) {
  char detail[Diag::kCapacity];
  va_list args;
  va_start(args, fmt);
  vsnprintf(detail, sizeof(detail), fmt, args);
  va_end(args);
  char name_buf[16];
  const char* name = model::builtin_op_name(op_.builtin_code, name_buf, sizeof(name_buf));
  return interp_.diag_.fail(code, "op %lu (%s): %s", static_cast<unsigned long>(op_index_), name, detail);
}

Tensor* InvokeContext::input(uint32_t i) const {
  return tensor_at(interp_.tensors_, interp_.ops_[op_index_].inputs, i);
}

Tensor* InvokeContext::output(uint32_t i) const {
  return tensor_at(interp_.tensors_, interp_.ops_[op_index_].outputs, i);
}

void* InvokeContext::op_data() const { return interp_.ops_[op_index_].op_data; }

void* InvokeContext::scratch(int32_t handle) const {
  // The handle is the op index: one scratch buffer per operator.
  const Interpreter::OpRecord& rec = interp_.ops_[op_index_];
  if (handle != static_cast<int32_t>(op_index_) || rec.scratch_size == 0) return nullptr;
  return interp_.arena_ + rec.scratch_offset;
}

kernels::Poll InvokeContext::budget_poll() const {
  kernels::Poll poll;
  if (interp_.deadline_ != 0 && interp_.clock_.now != nullptr) {
    poll.stop = [](void* self) { return static_cast<const InvokeContext*>(self)->budget_spent(); };
    poll.user = const_cast<InvokeContext*>(this);
  }
  return poll;
}

bool InvokeContext::budget_spent() const {
  return interp_.deadline_ != 0 && interp_.clock_.now != nullptr && interp_.now() > interp_.deadline_;
}

}  // namespace kiln::runtime
