// Load -> prepare -> plan -> invoke, in one caller-provided arena.
//
// Arena layout after init():
//   [ planned region: activations + scratch | free | persistent region ]
//   offset 0 ....................................................... size
// The persistent region grows down from the top during prepare (tensor
// table, op table, kernel op data, variable-tensor state); the planned region
// is laid out by the memory planner once every kernel has said what it needs.
// required_bytes() is then the exact arena a firmware must provide.
// No heap; the Interpreter object itself is ~300 bytes.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/common/status.h"
#include "kiln/model/model.h"
#include "kiln/runtime/kernel.h"
#include "kiln/runtime/op_resolver.h"
#include "kiln/runtime/tensor.h"

namespace kiln::runtime {

// Monotonic tick source (cycles, instructions or microseconds): the caller
// decides the unit; statistics and budgets use the same one.
struct Clock {
  uint64_t (*now)(void* user) = nullptr;
  void* user = nullptr;
};

// Called after each operator has run, while its outputs are still live in the
// arena (later operators may reuse their memory): calibration and per-layer
// drift read intermediate tensors through it. Host tools use it; firmware
// leaves it unset.
struct OpObserver {
  void (*after_op)(void* user, uint32_t op) = nullptr;
  void* user = nullptr;
};

struct OpStats {
  uint64_t ticks = 0;  // last invoke; 0 without a clock
  uint64_t macs = 0;   // multiply-accumulates per invoke (static)
};

struct ArenaReport {
  uint32_t planned_bytes = 0;      // activations + scratch, as packed
  uint32_t lower_bound_bytes = 0;  // max over ops of simultaneously live bytes
  uint32_t persistent_bytes = 0;   // everything in the persistent region
  uint32_t tensor_table_bytes = 0;
  uint32_t op_table_bytes = 0;
  uint32_t state_bytes = 0;        // variable tensors (e.g. SVDF state)
  uint32_t kernel_data_bytes = 0;  // op data: multipliers, dequantized weights...
  uint32_t realigned_bytes = 0;    // constants copied because the model misaligned them
  uint32_t workspace_bytes = 0;    // planner's temporary need during init
  uint32_t required_bytes = 0;     // exact arena needed by this model
};

// One planned buffer, for `kiln plan` and tests.
struct PlannedBuffer {
  int32_t tensor = -1;   // tensor index, or -1 for a kernel scratch buffer
  int32_t scratch_op = -1;
  uint32_t offset = 0;
  uint32_t size = 0;
  uint32_t first_op = 0;
  uint32_t last_op = 0;
};

class Interpreter {
 public:
  // `model` must already be loaded; arena must be 16-byte aligned and outlive
  // the interpreter.
  Interpreter(const model::Model& model, const OpResolver& resolver, uint8_t* arena,
              size_t arena_size);

  // Resolves every operator (unsupported ones are named), prepares kernels,
  // plans memory. On kArenaTooSmall the message says how many bytes are needed.
  Status init();
  // Runs all operators. With a budget (set_budget), stops between operators
  // once the clock passes the deadline and returns kBudgetExceeded; the next
  // invoke starts cleanly from the first operator.
  Status invoke();

  // Optional: a clock enables budgets; set before init() it also enables
  // per-op timing (the tick table is allocated at init, 8 B per op).
  void set_clock(const Clock& clock) { clock_ = clock; }
  void set_observer(const OpObserver& observer) { observer_ = observer; }
  // Deadline in clock ticks, absolute; 0 disables the check.
  void set_deadline(uint64_t deadline_ticks) { deadline_ = deadline_ticks; }
  // Zeroes variable tensors (streaming state) as after init.
  void reset_state();

  uint32_t input_count() const { return model_.inputs().size(); }
  uint32_t output_count() const { return model_.outputs().size(); }
  Tensor* input(uint32_t i) const;
  Tensor* output(uint32_t i) const;
  Tensor* tensor(uint32_t index) const;
  int32_t input_tensor_index(uint32_t i) const { return model_.inputs()[i]; }
  int32_t output_tensor_index(uint32_t i) const { return model_.outputs()[i]; }

  const model::Model& model() const { return model_; }
  const Diag& diag() const { return diag_; }
  const ArenaReport& arena_report() const { return report_; }
  uint32_t op_count() const { return model_.operator_count(); }
  OpStats op_stats(uint32_t op) const;
  const KernelRegistration* op_kernel(uint32_t op) const;
  // Op i's prepared data (the op_data/<op>.h struct its kernel filled), for
  // the ahead-of-time compiler; nullptr before init or when the op has none.
  const void* op_data(uint32_t op) const;
  // Offset of op i's scratch buffer in the arena and its size (0: none).
  uint32_t op_scratch_offset(uint32_t op) const;
  uint32_t op_scratch_size(uint32_t op) const;
  uint64_t total_macs() const;
  // Index of the operator that stopped the last invoke (budget/error).
  uint32_t last_op() const { return last_op_; }

  // Recomputes the planned buffers (lifetimes from the graph, offsets from
  // the plan) into `out`; returns how many there are (may exceed capacity).
  uint32_t describe_plan(PlannedBuffer* out, uint32_t capacity) const;

 private:
  friend class PrepareContext;
  friend class InvokeContext;

  struct OpRecord;

  Status allocate_tables();
  Status resolve_kernels();
  Status bind_tensors();
  Status bind_tensor(uint32_t index);
  Status prepare_ops();
  Status plan_memory();
  void* allocate_persistent(size_t bytes, size_t align);
  Status add_scratch(uint32_t op, size_t bytes, int32_t* handle);
  Status arena_too_small(const char* stage, size_t needed);
  // Visits every planned buffer (activations, then scratch) with its lifetime.
  template <typename Visit>
  void for_each_buffer(Visit&& visit) const;
  uint64_t now() const { return clock_.now != nullptr ? clock_.now(clock_.user) : 0; }

  const model::Model& model_;
  const OpResolver& resolver_;
  uint8_t* arena_;
  size_t arena_size_;
  size_t persistent_top_;  // persistent region is [persistent_top_, arena_size_)

  Tensor* tensors_ = nullptr;
  OpRecord* ops_ = nullptr;
  uint64_t* ticks_ = nullptr;  // per-op ticks, only with a clock at init

  Clock clock_;
  OpObserver observer_;
  uint64_t deadline_ = 0;
  uint32_t last_op_ = 0;
  bool ready_ = false;
  ArenaReport report_;
  Diag diag_;
};

}  // namespace kiln::runtime
