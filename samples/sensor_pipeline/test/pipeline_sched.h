// Host-test helpers: the pipeline's measured task set (as `kiln sched` reads
// it), its response-time analysis, and the same set on the simulated
// scheduler (deterministic: fixed priorities, one CPU, measured WCETs,
// synchronous release).
#pragma once
#include <stdio.h>

#include <map>
#include <string>
#include <vector>

#include "kiln/sched/rta.h"
#include "kiln/sched/sim.h"
#include "kiln/sched/task_set_yaml.h"
#include "pipeline.h"
#include "report_text.h"

namespace kiln::samples {

struct PipelineSchedule {
  std::vector<sched::Task> tasks;  // as written to the YAML file
  sched::Analysis rta;
  sched::SimResult sim;
};

// Writes the measured task set to `yaml_path`, reads it back like `kiln
// sched` does, analyzes it and simulates `duration_us` of it.
inline PipelineSchedule schedule_of(const PipelineConfig& c, const PipelineReport& r, const std::string& yaml_path) {
  PipelineSchedule s;
  FILE* f = fopen(yaml_path.c_str(), "w");
  if (f != nullptr) {
    print_task_set(c, r, f);
    fclose(f);
  }
  s.tasks = sched::load_task_set(yaml_path);
  s.rta = sched::analyze(s.tasks);
  std::vector<sched::SimTask> sim;
  for (const sched::Task& t : s.tasks) sim.push_back(sched::to_sim_task(t));
  sched::SimConfig cfg;
  cfg.horizon_ns = static_cast<int64_t>(c.duration_us) * 1000;
  cfg.priority_inheritance = true;
  s.sim = sched::simulate(sim, cfg);
  return s;
}

inline bool rta_schedulable(const PipelineSchedule& s, const std::string& task) {
  for (const sched::TaskResult& t : s.rta.tasks) {
    if (t.name == task) return t.schedulable;
  }
  return false;
}

// Deadline misses per task in the real run. The sampler's misses exclude the
// OS's timer wake-up latency (counted apart: a host kernel is not an RTOS);
// inference misses are requests stopped at their deadline or dropped.
inline std::map<std::string, uint32_t> measured_misses(const PipelineReport& r) {
  return {{"sampler", r.sampler_misses - r.sampler_misses_wakeup},
          {"comms", r.comms_misses},
          {"inference", r.inference.timed_out + r.windows_dropped}};
}

inline void print_schedule(const PipelineSchedule& s, FILE* out) {
  for (const sched::TaskResult& t : s.rta.tasks) {
    fprintf(out, "kiln sched : %-9s C %9.1f us  R %s%9.1f us  D %9.1f us  %s\n", t.name.c_str(), t.wcet_ns / 1e3,
            t.converged ? "" : ">", t.response_ns / 1e3, t.deadline_ns / 1e3,
            t.schedulable ? "schedulable" : "CAN MISS");
  }
  for (const sched::SimTaskStats& t : s.sim.tasks) {
    fprintf(out,
            "SIMULATED  : %-9s %5u jobs, %5u misses, worst response %9.1f us, release jitter %7.1f us, response "
            "jitter %7.1f us\n",
            t.name.c_str(), t.released, t.misses, t.worst_response_ns / 1e3, t.worst_start_delay_ns / 1e3,
            t.response_jitter_ns() / 1e3);
  }
}

}  // namespace kiln::samples
