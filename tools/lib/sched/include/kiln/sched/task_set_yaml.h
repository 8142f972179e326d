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
//
// wcet_instructions is the instruction count measured on the target (e.g. by
// kiln's QEMU probe); the board's clock model turns it into time.
#pragma once
#include <string>
#include <vector>

#include "kiln/sched/rta.h"

namespace kiln::sched {

// Throws host::ToolError naming the task and field on any problem.
std::vector<Task> parse_task_set(const std::string& yaml_text);
std::vector<Task> load_task_set(const std::string& path);

}  // namespace kiln::sched
