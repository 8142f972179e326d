// Task sets for `kiln sched`, in YAML:
//
//   board: {clock_hz: 160000000, cycles_per_instruction: 1.0}   # optional
//   tasks:
//     - name: sampler
//       priority: 20              # larger is more urgent; omit on every task
//                                 # for deadline-monotonic priorities
//       period_us: 1000
//       deadline_us: 1000         # optional, defaults to the period
//       wcet_us: 50               # or wcet_instructions: N (needs board)
//       critical_sections: [{resource: ring, duration_us: 5}]
//     - name: inference
//       period_us: 1000000
//       wcet: {model: kws.tflite, board: esp32c6}   # measured on the target
//   boards: {esp32c6: {cpi: 1.0}}  # optional cycles per instruction per board
//
// wcet_instructions is the instruction count measured on the target (e.g. by
// kiln's QEMU probe); the board's clock model turns it into time.
// wcet: {model, board, [input], [cpi]} asks the caller's WcetMeter to measure
// the model's retired instructions per invoke and converts them with the
// board's device-tree clock: C = instructions x CPI / clock x (1 + margin).
// CPI defaults to 1.0 (an in-order single-issue core); relative model paths
// are relative to the task-set file.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kiln/sched/rta.h"

namespace kiln::sched {

struct WcetRequest {
  std::string model;  // path, already resolved against the task-set file
  std::string board;  // board name or device-tree path
  std::string input;  // optional input tensor file for the measured run
};

struct WcetMeasurement {
  uint64_t instructions = 0;  // retired per invoke
  uint64_t clock_hz = 0;      // the board's CPU clock
  std::string how;            // e.g. "rv32imac instructions on QEMU (probe ...)"
};

// Measures a model (the CLI runs the rv32 probe on QEMU); throws on failure.
using WcetMeter = std::function<WcetMeasurement(const WcetRequest&)>;

struct TaskSetOptions {
  WcetMeter meter;        // needed only by tasks with `wcet: {model: ...}`
  double margin = 0.0;    // safety margin on measured WCETs (0.2 = +20 %)
  std::string base_dir;   // for relative model paths (load_task_set sets it)
};

// C in ns for `instructions` at `clock_hz`, `cpi` cycles each, plus margin;
// exact (rounded to the nearest ns) for counts up to 2^64.
int64_t instructions_to_ns(uint64_t instructions, double cpi, uint64_t clock_hz, double margin);

// Throws host::ToolError naming the task and field on any problem.
std::vector<Task> parse_task_set(const std::string& yaml_text, const TaskSetOptions& options = {});
std::vector<Task> load_task_set(const std::string& path, const TaskSetOptions& options = {});

}  // namespace kiln::sched
