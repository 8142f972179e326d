// Prints a PipelineReport (host sample and test share it).
#pragma once
#include <stdio.h>

#include "pipeline.h"

namespace kiln::samples {

inline void print_report(const PipelineReport& r, FILE* out) {
  fprintf(out,
          "sampler   1 kHz : %u samples, %u deadline misses (%u from OS wake-up latency), max jitter %llu us, max response %llu us, "
          "max exec %llu us, max ring-lock wait %llu us\n"
          "comms     50 Hz : %u cycles, %u deadline misses, max response %llu us\n"
          "inference 10 Hz : %u windows (%u dropped), %u ok, %u timed out, worst run %llu us, "
          "worst latency %llu us, ring section %llu us\n"
          "priorities      : %s\n",
          r.samples, r.sampler_misses, r.sampler_misses_wakeup, (unsigned long long)r.sampler_max_jitter_us,
          (unsigned long long)r.sampler_max_response_us, (unsigned long long)r.sampler_max_exec_us,
          (unsigned long long)r.sampler_max_lock_wait_us, r.comms_cycles, r.comms_misses,
          (unsigned long long)r.comms_max_response_us, r.windows, r.windows_dropped, r.inference.succeeded,
          r.inference.timed_out, (unsigned long long)r.inference.worst_run_us,
          (unsigned long long)r.inference.worst_latency_us, (unsigned long long)r.inference_max_section_us,
          r.realtime ? "enforced (SCHED_FIFO, one CPU)" : "NOT enforced (best effort)");
}

// The measured task set, in `kiln sched` format. Times are the worst observed
// wall-clock times (preemption included, so they over-estimate), rounded up to
// the clock's microsecond; inference's WCET covers the window copy and the run.
inline void print_task_set(const PipelineConfig& c, const PipelineReport& r, FILE* out) {
  fprintf(out,
          "# Measured by the sensor_pipeline sample on the host (worst observed times).\n"
          "tasks:\n"
          "  - {name: sampler, priority: %d, period_us: %u, wcet_us: %llu,\n"
          "     critical_sections: [{resource: ring, duration_us: %llu}]}\n"
          "  - {name: comms, priority: %d, period_us: %u, wcet_us: %llu}\n"
          "  - {name: inference, priority: %d, period_us: %llu, wcet_us: %llu,\n"
          "     critical_sections: [{resource: ring, duration_us: %llu}]}\n",
          c.sampler_priority, c.sample_period_us, (unsigned long long)r.sampler_max_exec_us + 1,
          1ull, c.comms_priority, c.comms_period_us,
          (unsigned long long)(r.comms_max_exec_us > 0 ? r.comms_max_exec_us + 1 : c.comms_work_us), c.inference_priority,
          (unsigned long long)c.sample_period_us * c.window_samples,
          // No run completed (starved or always stopped): its WCET is unknown,
          // at least its deadline.
          (unsigned long long)(r.inference.succeeded > 0
                                   ? r.inference.worst_run_us + r.inference_max_section_us + 1
                                   : static_cast<uint64_t>(c.sample_period_us) * c.window_samples),
          (unsigned long long)(r.inference_max_section_us + 1));
}

}  // namespace kiln::samples
