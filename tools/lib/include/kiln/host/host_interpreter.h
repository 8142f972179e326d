// The device interpreter on a generous host arena, with every kernel linked
// and a steady_clock in nanoseconds for per-op timing.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "kiln/host/model_file.h"
#include "kiln/runtime/interpreter.h"

namespace kiln::host {

// runtime::Clock reading std::chrono::steady_clock, in nanoseconds.
runtime::Clock steady_clock_ns();

class HostInterpreter {
 public:
  static constexpr size_t kDefaultArenaBytes = size_t{16} << 20;

  // Initializes the interpreter; throws ToolError with the Diag message
  // (unsupported operator, invalid model, arena too small...). `timed`
  // installs the clock before init, which costs 8 persistent bytes per op:
  // leave it off when reporting the arena a firmware needs.
  explicit HostInterpreter(const LoadedModel& model, bool timed = false,
                           size_t arena_bytes = kDefaultArenaBytes);
  HostInterpreter(const HostInterpreter&) = delete;
  HostInterpreter& operator=(const HostInterpreter&) = delete;

  runtime::Interpreter& get() { return *interp_; }
  const runtime::Interpreter& get() const { return *interp_; }
  // Runs once; throws with the Diag message on failure.
  void invoke();
  // Every planned buffer (the interpreter's describe_plan).
  std::vector<runtime::PlannedBuffer> plan() const;

 private:
  struct alignas(16) Block { uint8_t b[16]; };
  const LoadedModel& model_;
  std::vector<Block> arena_;
  std::unique_ptr<runtime::Interpreter> interp_;
};

}  // namespace kiln::host
