#include "kiln/runtime/interpreter.h"

#include <stdio.h>
#include <string.h>

#include "interpreter_internal.h"

namespace kiln::runtime {

namespace {
constexpr size_t kArenaAlign = 16;
}  // namespace

Interpreter::Interpreter(const model::Model& model, const OpResolver& resolver, uint8_t* arena,
                         size_t arena_size)
    : model_(model), resolver_(resolver), arena_(arena), arena_size_(arena_size),
      persistent_top_(align_down(arena_size, kArenaAlign)) {}

Status Interpreter::init() {
  ready_ = false;
  diag_.clear();
  report_ = ArenaReport();
  persistent_top_ = align_down(arena_size_, kArenaAlign);
  if (arena_ == nullptr || (reinterpret_cast<uintptr_t>(arena_) % kArenaAlign) != 0) {
    return diag_.fail(Status::kInvalidArgument, "arena must be non-null and 16-byte aligned");
  }
  if (model_.byte_size() == 0) return diag_.fail(Status::kInvalidArgument, "model is not loaded");
  KILN_TRY(resolve_kernels());
  KILN_TRY(allocate_tables());
  KILN_TRY(bind_tensors());
  KILN_TRY(prepare_ops());
  KILN_TRY(plan_memory());
  reset_state();
  ready_ = true;
  return Status::kOk;
}

// Names every operator this build cannot run, before any memory is touched.
Status Interpreter::resolve_kernels() {
  char names[Diag::kCapacity] = {};
  size_t used = 0;
  uint32_t missing = 0;
  for (uint32_t i = 0; i < model_.operator_count(); ++i) {
    const model::OperatorView op = model_.op(i);
    if (resolver_.find(op.builtin_code) != nullptr) continue;
    char fallback[16];
    const char* name = model::builtin_op_name(op.builtin_code, fallback, sizeof(fallback));
    if (op.builtin_code == static_cast<int32_t>(model::BuiltinOp::kCustom) && op.custom_code.ok()) {
      name = "CUSTOM";
    }
    if (strstr(names, name) == nullptr && used + strlen(name) + 3 < sizeof(names)) {
      used += static_cast<size_t>(snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", name));
    }
    ++missing;
  }
  if (missing == 0) return Status::kOk;
  return diag_.fail(Status::kUnsupported, "%lu operator(s) not supported by this build: %s",
                    static_cast<unsigned long>(missing), names);
}

Status Interpreter::allocate_tables() {
  const uint32_t nt = model_.tensor_count();
  const uint32_t no = model_.operator_count();
  tensors_ = static_cast<Tensor*>(allocate_persistent(nt * sizeof(Tensor), alignof(Tensor)));
  ops_ = static_cast<OpRecord*>(allocate_persistent(no * sizeof(OpRecord), alignof(OpRecord)));
  if ((nt && tensors_ == nullptr) || (no && ops_ == nullptr)) return arena_too_small("tensor tables", 0);
  report_.tensor_table_bytes = nt * static_cast<uint32_t>(sizeof(Tensor));
  report_.op_table_bytes = no * static_cast<uint32_t>(sizeof(OpRecord));
  if (clock_.now != nullptr) {
    ticks_ = static_cast<uint64_t*>(allocate_persistent(no * sizeof(uint64_t), alignof(uint64_t)));
    if (no && ticks_ == nullptr) return arena_too_small("op statistics", 0);
    report_.op_table_bytes += no * static_cast<uint32_t>(sizeof(uint64_t));
    memset(ticks_, 0, no * sizeof(uint64_t));
  }
  for (uint32_t i = 0; i < nt; ++i) tensors_[i] = Tensor();
  for (uint32_t i = 0; i < no; ++i) {
    const model::OperatorView op = model_.op(i);
    ops_[i] = OpRecord{resolver_.find(op.builtin_code), nullptr, op.inputs, op.outputs, 0, 0, 0};
  }
  return Status::kOk;
}

Status Interpreter::bind_tensors() {
  for (uint32_t i = 0; i < model_.tensor_count(); ++i) KILN_TRY(bind_tensor(i));
  const model::Vec<int32_t> ins = model_.inputs();
  for (uint32_t i = 0; i < ins.size(); ++i) tensors_[ins[i]].flags |= Tensor::kGraphInput;
  const model::Vec<int32_t> outs = model_.outputs();
  for (uint32_t i = 0; i < outs.size(); ++i) tensors_[outs[i]].flags |= Tensor::kGraphOutput;
  return Status::kOk;
}

Status Interpreter::bind_tensor(uint32_t index) {
  const model::TensorView v = model_.tensor(index);
  Tensor& t = tensors_[index];
  t.type = v.type;
  t.rank = static_cast<uint8_t>(v.rank());
  t.dims = v.rank() ? static_cast<const int32_t*>(static_cast<const void*>(v.shape.bytes())) : nullptr;
  const uint32_t elem = model::tensor_type_size(v.type);
  t.bytes = v.element_count() * elem;
  const model::BufferView b = model_.buffer(v.buffer);
  if (v.is_variable) {
    if (elem == 0) return diag_.fail(Status::kUnsupported, "variable tensor %lu has unsupported type %s", static_cast<unsigned long>(index), model::tensor_type_name(v.type));
    t.flags |= Tensor::kVariable;
    t.data = static_cast<uint8_t*>(allocate_persistent(t.bytes, kArenaAlign));
    if (t.data == nullptr) return arena_too_small("variable tensors", t.bytes);
    report_.state_bytes += t.bytes;
  } else if (b.data != nullptr) {
    t.flags |= Tensor::kConstant;
    t.data = const_cast<uint8_t*>(b.data);  // weights stay in the model (flash)
    if (t.bytes == 0) t.bytes = b.size;
    const uint32_t align = elem > 8 ? 8 : (elem == 0 ? 1 : elem);
    if ((reinterpret_cast<uintptr_t>(b.data) % align) != 0) {
      // Some converters align buffers to 4 only; an int64 bias then needs a
      // realigned copy, because kernels read constants through typed pointers.
      t.data = static_cast<uint8_t*>(allocate_persistent(b.size, align));
      if (t.data == nullptr) return arena_too_small("realigned constants", b.size);
      memcpy(t.data, b.data, b.size);
      report_.realigned_bytes += b.size;
    }
  }
  return Status::kOk;
}

Status Interpreter::prepare_ops() {
  for (uint32_t i = 0; i < model_.operator_count(); ++i) {
    const model::OperatorView op = model_.op(i);
    PrepareContext ctx(*this, i, op);
    // Every activation an op touches must have a type the arena can hold.
    for (uint32_t k = 0; k < op.outputs.size(); ++k) {
      const Tensor* out = ctx.output(k);
      if (model::tensor_type_size(out->type) == 0) {
        return ctx.fail(Status::kUnsupported, "output %lu has unsupported type %s",
                        static_cast<unsigned long>(k), model::tensor_type_name(out->type));
      }
    }
    const Status s = ops_[i].kernel->prepare(ctx);
    if (s != Status::kOk) {
      if (diag_.status() == Status::kOk) return ctx.fail(s, "prepare failed");
      return s;
    }
    ops_[i].op_data = ctx.op_data();
    ops_[i].macs = ctx.macs() > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(ctx.macs());
  }
  return Status::kOk;
}

void* Interpreter::allocate_persistent(size_t bytes, size_t align) {
  if (align < 4) align = 4;
  if (bytes > persistent_top_) {
    report_.persistent_bytes += static_cast<uint32_t>(bytes);
    return nullptr;
  }
  const size_t top = align_down(persistent_top_ - bytes, align);
  report_.persistent_bytes = static_cast<uint32_t>(arena_size_ - top);
  persistent_top_ = top;
  // Zeroed, so op-data structs never start from a previous model's bytes.
  memset(arena_ + top, 0, bytes);
  return arena_ + top;
}

Status Interpreter::add_scratch(uint32_t op, size_t bytes, int32_t* handle) {
  if (handle == nullptr || op >= model_.operator_count()) {
    return diag_.fail(Status::kInternal, "scratch request without a handle");
  }
  if (ops_[op].scratch_size != 0) {
    return diag_.fail(Status::kInternal, "op %lu requested a second scratch buffer", static_cast<unsigned long>(op));
  }
  if (bytes > 0x7FFFFFF0u) return diag_.fail(Status::kUnsupported, "op %lu: scratch of %lu bytes is too large", static_cast<unsigned long>(op), static_cast<unsigned long>(bytes));
  ops_[op].scratch_size = static_cast<uint32_t>(bytes);
  *handle = static_cast<int32_t>(op);
  return Status::kOk;
}

Status Interpreter::arena_too_small(const char* stage, size_t needed) {
  const size_t persistent = arena_size_ - persistent_top_ + needed;
  // Prepare stops at the first allocation that fails, so only a lower bound
  // is known here; `kiln plan` (or a large arena) gives the exact figure.
  return diag_.fail(Status::kArenaTooSmall,
                    "arena too small: %s need more than %lu bytes, arena has %lu (kiln plan MODEL gives the exact size)",
                    stage, static_cast<unsigned long>(persistent), static_cast<unsigned long>(arena_size_));
}

void Interpreter::reset_state() {
  for (uint32_t i = 0; i < model_.tensor_count(); ++i) {
    if ((tensors_[i].flags & Tensor::kVariable) != 0) memset(tensors_[i].data, 0, tensors_[i].bytes);
  }
}

Status Interpreter::invoke() {
  if (!ready_) return diag_.fail(Status::kInvalidArgument, "invoke() before a successful init()");
  for (uint32_t i = 0; i < model_.operator_count(); ++i) {
    last_op_ = i;
    const uint64_t start = now();
    if (deadline_ != 0 && clock_.now != nullptr && start > deadline_) {
      return diag_.fail(Status::kBudgetExceeded, "budget exceeded before op %lu of %lu",
                        static_cast<unsigned long>(i), static_cast<unsigned long>(model_.operator_count()));
    }
    InvokeContext ctx(*this, i);
    const Status s = ops_[i].kernel->invoke(ctx);
    if (s != Status::kOk) {
      if (s == Status::kBudgetExceeded) {
        return diag_.fail(s, "budget exceeded inside op %lu", static_cast<unsigned long>(i));
      }
      return diag_.fail(s, "op %lu failed at invoke: %s", static_cast<unsigned long>(i), status_name(s));
    }
    if (ticks_ != nullptr) ticks_[i] = now() - start;
    if (observer_.after_op != nullptr) observer_.after_op(observer_.user, i);
  }
  return Status::kOk;
}

Tensor* Interpreter::input(uint32_t i) const {
  return (ready_ && i < input_count()) ? &tensors_[model_.inputs()[i]] : nullptr;
}

Tensor* Interpreter::output(uint32_t i) const {
  return (ready_ && i < output_count()) ? &tensors_[model_.outputs()[i]] : nullptr;
}

Tensor* Interpreter::tensor(uint32_t index) const {
  return (ready_ && index < model_.tensor_count()) ? &tensors_[index] : nullptr;
}

OpStats Interpreter::op_stats(uint32_t op) const {
  OpStats s;
  if (ops_ == nullptr || op >= model_.operator_count()) return s;
  s.macs = ops_[op].macs;
  s.ticks = ticks_ != nullptr ? ticks_[op] : 0;
  return s;
}

const KernelRegistration* Interpreter::op_kernel(uint32_t op) const {
  return (ops_ != nullptr && op < model_.operator_count()) ? ops_[op].kernel : nullptr;
}

const void* Interpreter::op_data(uint32_t op) const {
  return (ready_ && op < model_.operator_count()) ? ops_[op].op_data : nullptr;
}

uint32_t Interpreter::op_scratch_offset(uint32_t op) const {
  return (ready_ && op < model_.operator_count()) ? ops_[op].scratch_offset : 0;
}

uint32_t Interpreter::op_scratch_size(uint32_t op) const {
  return (ready_ && op < model_.operator_count()) ? ops_[op].scratch_size : 0;
}

uint64_t Interpreter::total_macs() const {
  uint64_t total = 0;
  for (uint32_t i = 0; ops_ != nullptr && i < model_.operator_count(); ++i) total += ops_[i].macs;
  return total;
}

}  // namespace kiln::runtime
