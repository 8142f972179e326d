// Turns the graph into buffer lifetimes and lets the memory planner pack them
// into the bottom of the arena. The planner's temporary records live in the
// not-yet-planned region itself, so planning costs no persistent memory.
#include <string.h>

#include "interpreter_internal.h"
#include "kiln/memory/planner.h"

namespace kiln::runtime {

namespace {
constexpr uint32_t kPlanAlign = 16;

bool lists(const model::Vec<int32_t>& v, uint32_t tensor) {
  for (uint32_t k = 0; k < v.size(); ++k) {
    if (v[k] == static_cast<int32_t>(tensor)) return true;
  }
  return false;
}
}  // namespace

template <typename Visit>
void Interpreter::for_each_buffer(Visit&& visit) const {
  const uint32_t n_ops = model_.operator_count();
  const uint32_t last_op = n_ops ? n_ops - 1 : 0;
  for (uint32_t t = 0; t < model_.tensor_count(); ++t) {
    const Tensor& tensor = tensors_[t];
    if ((tensor.flags & (Tensor::kConstant | Tensor::kVariable)) != 0) continue;
    bool used = (tensor.flags & (Tensor::kGraphInput | Tensor::kGraphOutput)) != 0;
    uint32_t first = (tensor.flags & Tensor::kGraphInput) ? 0 : UINT32_MAX;
    uint32_t last = (tensor.flags & Tensor::kGraphOutput) ? last_op : 0;
    for (uint32_t i = 0; i < n_ops; ++i) {
      if (!lists(ops_[i].inputs, t) && !lists(ops_[i].outputs, t)) continue;
      used = true;
      if (i < first) first = i;
      if (i > last) last = i;
    }
    if (!used) continue;
    if (first == UINT32_MAX) first = 0;
    visit(static_cast<int32_t>(t), -1, tensor.bytes, first, last);
  }
  for (uint32_t i = 0; i < n_ops; ++i) {
    if (ops_[i].scratch_size != 0) visit(-1, static_cast<int32_t>(i), ops_[i].scratch_size, i, i);
  }
}

Status Interpreter::plan_memory() {
  uint32_t count = 0;
  for_each_buffer([&](int32_t, int32_t, uint32_t, uint32_t, uint32_t) { ++count; });
  if (model_.operator_count() > UINT16_MAX) {
    return diag_.fail(Status::kUnsupported, "model has %lu operators; kiln plans at most 65535",
                      static_cast<unsigned long>(model_.operator_count()));
  }
  // Temporary layout at the arena's bottom: requests, offsets, planner workspace.
  const size_t req_bytes = align_up(count * sizeof(memory::BufferRequest), 8);
  const size_t off_bytes = align_up(count * sizeof(uint32_t), 8);
  const size_t work_bytes = memory::planner_workspace_bytes(count);
  const size_t temp_bytes = req_bytes + off_bytes + work_bytes;
  report_.workspace_bytes = static_cast<uint32_t>(temp_bytes);
  if (temp_bytes > persistent_top_) {
    return arena_too_small("planning workspace and persistent data", temp_bytes);
  }
  // The arena is 16-byte aligned and both sizes are multiples of 8.
  auto* requests = static_cast<memory::BufferRequest*>(static_cast<void*>(arena_));
  auto* offsets = static_cast<uint32_t*>(static_cast<void*>(arena_ + req_bytes));
  const memory::PlannerWorkspace work{arena_ + req_bytes + off_bytes, work_bytes};
  uint32_t k = 0;
  for_each_buffer([&](int32_t, int32_t, uint32_t size, uint32_t first, uint32_t last) {
    requests[k++] = memory::BufferRequest{size, static_cast<uint16_t>(first), static_cast<uint16_t>(last)};
  });
  uint32_t planned = 0;
  report_.lower_bound_bytes = memory::lower_bound_bytes(requests, count, kPlanAlign);
  if (memory::plan_arena(requests, count, kPlanAlign, work, offsets, &planned) != Status::kOk) {
    return diag_.fail(Status::kInternal, "memory planner rejected %lu buffers", static_cast<unsigned long>(count));
  }
  report_.planned_bytes = planned;
  const size_t bottom = planned > temp_bytes ? planned : temp_bytes;
  report_.persistent_bytes = static_cast<uint32_t>(arena_size_ - persistent_top_);
  // An arena of exactly this size (a multiple of 16) starts its persistent
  // region at the same alignment, so the persistent allocations pad the same.
  report_.required_bytes =
      static_cast<uint32_t>(align_up(bottom, kPlanAlign) + align_up(report_.persistent_bytes, kPlanAlign));
  if (planned > persistent_top_) {
    return diag_.fail(Status::kArenaTooSmall, "arena too small: model needs %lu bytes (%lu planned + %lu persistent), arena has %lu",
                      static_cast<unsigned long>(report_.required_bytes), static_cast<unsigned long>(planned),
                      static_cast<unsigned long>(report_.persistent_bytes), static_cast<unsigned long>(arena_size_));
  }
  // Read every offset out before any of it is overwritten by activations.
  k = 0;
  for_each_buffer([&](int32_t tensor, int32_t op, uint32_t, uint32_t, uint32_t) {
    const uint32_t off = offsets[k++];
    if (tensor >= 0) tensors_[tensor].data = arena_ + off;
    if (op >= 0) ops_[op].scratch_offset = off;
  });
  return Status::kOk;
}

uint32_t Interpreter::describe_plan(PlannedBuffer* out, uint32_t capacity) const {
  uint32_t n = 0;
  if (!ready_) return 0;
  for_each_buffer([&](int32_t tensor, int32_t op, uint32_t size, uint32_t first, uint32_t last) {
    if (n < capacity && out != nullptr) {
      PlannedBuffer& b = out[n];
      b.tensor = tensor;
      b.scratch_op = op;
      b.size = size;
      b.first_op = first;
      b.last_op = last;
      b.offset = tensor >= 0 ? static_cast<uint32_t>(tensors_[tensor].data - arena_) : ops_[op].scratch_offset;
    }
    ++n;
  });
  return n;
}

}  // namespace kiln::runtime
