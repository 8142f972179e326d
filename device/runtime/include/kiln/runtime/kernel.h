// The contract between the interpreter and one operator's kernel glue.
//
// A kernel is two functions. prepare() runs once at init: it validates
// shapes, types and options (so an unsupported combination is reported at
// load time, by name), precomputes everything invoke needs into persistent
// op data, and requests scratch. invoke() runs per inference and must not
// fail on anything prepare could have checked.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/common/status.h"
#include "kiln/kernels/poll.h"
#include "kiln/model/model.h"
#include "kiln/runtime/tensor.h"

namespace kiln::runtime {

class Interpreter;

class PrepareContext {
 public:
  PrepareContext(Interpreter& interp, uint32_t op_index, const model::OperatorView& op)
      : interp_(interp), op_index_(op_index), op_(op) {}

  const model::Model& model() const;
  const model::OperatorView& op() const { return op_; }
  uint32_t op_index() const { return op_index_; }

  uint32_t input_count() const { return op_.inputs.size(); }
  uint32_t output_count() const { return op_.outputs.size(); }
  // nullptr when the input is omitted (-1) or i is out of range.
  Tensor* input(uint32_t i) const;
  Tensor* output(uint32_t i) const;
  // Model-side description (quantization, name) of an input/output.
  model::TensorView input_info(uint32_t i) const;
  model::TensorView output_info(uint32_t i) const;

  // Persistent memory from the arena's top; lives as long as the interpreter.
  // Returns nullptr (and records kArenaTooSmall) when the arena is full.
  void* allocate_persistent(size_t bytes, size_t align = 8);
  template <typename T>
  T* allocate_array(size_t count) {
    return static_cast<T*>(allocate_persistent(count * sizeof(T), alignof(T) < 4 ? 4 : alignof(T)));
  }
  // Scratch memory that is valid only during this op's invoke; the planner
  // overlaps it with tensors that are dead at that point.
  Status request_scratch(size_t bytes, int32_t* handle);

  void set_op_data(void* data) { op_data_ = data; }
  void* op_data() const { return op_data_; }
  void set_macs(uint64_t macs) { macs_ = macs; }
  uint64_t macs() const { return macs_; }

  // Records "op N (NAME): <message>" and returns `code`.
  Status fail(Status code, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

 private:
  Interpreter& interp_;
  uint32_t op_index_;
  const model::OperatorView& op_;
  void* op_data_ = nullptr;
  uint64_t macs_ = 0;
};

class InvokeContext {
 public:
  InvokeContext(Interpreter& interp, uint32_t op_index) : interp_(interp), op_index_(op_index) {}
  // Inputs/outputs were checked in prepare; omitted optional inputs give nullptr.
  Tensor* input(uint32_t i) const;
  Tensor* output(uint32_t i) const;
  void* op_data() const;
  void* scratch(int32_t handle) const;
  // Long kernels may poll this at a bounded granularity and stop early;
  // the interpreter then reports kBudgetExceeded.
  bool budget_spent() const;
  // budget_spent() packaged for pure kernels; never stops without a deadline.
  kernels::Poll budget_poll() const;

 private:
  Interpreter& interp_;
  uint32_t op_index_;
};

struct KernelRegistration {
  int32_t op;  // model::BuiltinOp value
  Status (*prepare)(PrepareContext& ctx);
  Status (*invoke)(InvokeContext& ctx);
};

}  // namespace kiln::runtime
