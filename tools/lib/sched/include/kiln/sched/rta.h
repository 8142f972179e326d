// Fixed-priority response-time analysis (Joseph & Pandya; Audsley et al.)
// with blocking terms for the priority-inheritance protocol (Sha, Rajkumar &
// Lehoczky; bound as in Buttazzo, "Hard Real-Time Computing Systems", 7.6).
// Times are integer nanoseconds so that ceil(R/T) is exact.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::sched {

struct CriticalSection {
  std::string resource;
  int64_t duration_ns = 0;
};

struct Task {
  std::string name;
  int priority = 0;  // larger is more urgent
  int64_t period_ns = 0;
  int64_t deadline_ns = 0;  // relative; defaults to the period
  int64_t wcet_ns = 0;
  std::vector<CriticalSection> sections;
  std::string wcet_source;  // where wcet_ns came from, when measured
};

struct TaskResult {
  std::string name;
  int priority = 0;
  int64_t wcet_ns = 0, period_ns = 0, deadline_ns = 0;
  int64_t blocking_ns = 0;
  std::string blocked_by;  // "inference on ring" ...
  int64_t response_ns = 0;  // worst-case response (or the first value past the bound)
  bool converged = true;    // false: the iteration was cut off (utilization >= 1)
  bool schedulable = true;
  int64_t miss_by_ns = 0;   // response - deadline when not schedulable
  std::string wcet_source;
};

struct Analysis {
  std::vector<TaskResult> tasks;  // in decreasing priority
  double utilization = 0.0;
  bool schedulable = true;
};

// Throws host::ToolError on an inconsistent set (non-positive times, a
// section longer than its task's WCET).
Analysis analyze(const std::vector<Task>& tasks);

// Blocking term of `tasks[i]` under priority inheritance; fills `who`.
int64_t pip_blocking(const std::vector<Task>& tasks, size_t i, std::string* who);

// The critical sections that term adds up: lower-priority task (index),
// resource and duration, one per blocker.
struct Blocker {
  size_t task = 0;
  std::string resource;
  int64_t duration_ns = 0;
};
std::vector<Blocker> pip_blockers(const std::vector<Task>& tasks, size_t i);

}  // namespace kiln::sched
