#include "kiln/host/host_interpreter.h"

#include <chrono>

#include "kiln/host/error.h"
#include "kiln/runtime/op_resolver.h"

namespace kiln::host {

namespace {
uint64_t now_ns(void*) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}
}  // namespace

runtime::Clock steady_clock_ns() {
  runtime::Clock clock;
  clock.now = &now_ns;
  return clock;
}

HostInterpreter::HostInterpreter(const LoadedModel& model, bool timed, size_t arena_bytes)
    : model_(model), arena_((arena_bytes + sizeof(Block) - 1) / sizeof(Block)) {
  interp_ = std::make_unique<runtime::Interpreter>(model.model(), runtime::all_ops(),
                                                   reinterpret_cast<uint8_t*>(arena_.data()),
                                                   arena_.size() * sizeof(Block));
  if (timed) interp_->set_clock(steady_clock_ns());
  const Status status = interp_->init();
  if (status != Status::kOk) {
    fail("cannot prepare '" + model.path() + "': " + diag_text(status, interp_->diag()));
  }
}

void HostInterpreter::invoke() {
  const Status status = interp_->invoke();
  if (status != Status::kOk) {
    fail("inference failed on '" + model_.path() + "': " + diag_text(status, interp_->diag()));
  }
}

std::vector<runtime::PlannedBuffer> HostInterpreter::plan() const {
  const uint32_t n = interp_->describe_plan(nullptr, 0);
  std::vector<runtime::PlannedBuffer> buffers(n);
  const uint32_t written = interp_->describe_plan(buffers.data(), n);
  buffers.resize(written < n ? written : n);
  return buffers;
}

}  // namespace kiln::host
