// Deterministic discrete-event simulation of a fixed-priority preemptive
// scheduler on one CPU, with mutexes with or without priority inheritance.
//
// It runs the same scenarios as the real-thread tests where the system refuses
// real-time scheduling (and always, as a cross-check of the response-time
// analysis): same inputs, same trace, every time. Times are integer
// nanoseconds; context switches cost nothing.
//
// Rules: the highest effective priority among ready jobs runs; equal
// priorities run in release order (then in task order). A job that locks a
// held mutex blocks; with inheritance its owner runs at the highest effective
// priority of everything it blocks (transitively). An unlock hands the mutex
// to the most urgent waiter. A task's next job starts only after the previous
// one has finished (pending releases queue up, each keeps its own release time).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/sched/rta.h"

namespace kiln::sched {

struct SimStep {
  enum class Kind { kCompute, kLock, kUnlock };
  Kind kind = Kind::kCompute;
  int64_t duration_ns = 0;  // kCompute
  std::string resource;     // kLock / kUnlock
  static SimStep compute(int64_t ns) { return {Kind::kCompute, ns, {}}; }
  static SimStep lock(const std::string& r) { return {Kind::kLock, 0, r}; }
  static SimStep unlock(const std::string& r) { return {Kind::kUnlock, 0, r}; }
};

struct SimTask {
  std::string name;
  int priority = 0;          // larger is more urgent
  int64_t period_ns = 0;     // 0: released once, at offset_ns
  int64_t deadline_ns = 0;   // relative; 0 defaults to the period
  int64_t offset_ns = 0;     // first release
  std::vector<SimStep> body; // what one job does
  uint32_t max_jobs = 0;     // 0: every release before the horizon
};

struct SimConfig {
  int64_t horizon_ns = 0;          // releases at or after this are not made
  bool priority_inheritance = true;
  bool trace = false;              // record who ran when (SimResult::trace)
};

struct SimTaskStats {
  std::string name;
  uint32_t released = 0;
  uint32_t completed = 0;
  uint32_t misses = 0;                 // finished after its deadline, or unfinished past it
  int64_t first_response_ns = -1;      // the first job's (critical instant)
  int64_t worst_response_ns = 0;
  int64_t best_response_ns = 0;
  int64_t worst_start_delay_ns = 0;    // release -> first instruction (release jitter)
  int64_t worst_blocked_ns = 0;        // per job, time waiting for a mutex
  int64_t response_jitter_ns() const { return completed ? worst_response_ns - best_response_ns : 0; }
};

struct SimSegment {
  int64_t start_ns, end_ns;
  int task;  // index, -1 idle
};

struct SimResult {
  std::vector<SimTaskStats> tasks;  // in input order
  std::vector<SimSegment> trace;
  int64_t end_ns = 0;               // when the last job finished (or the horizon)
  const SimTaskStats& at(const std::string& name) const;  // throws host::ToolError
};

// Throws host::ToolError on an inconsistent scenario (unlock of a mutex not
// held, a job ending with a mutex held, negative times).
SimResult simulate(const std::vector<SimTask>& tasks, const SimConfig& config);

// An analysis task as a simulated body: its critical sections first (each
// lock, compute, unlock), then the rest of its WCET.
SimTask to_sim_task(const Task& t);

// The scenario the RTA's bound for tasks[i] describes: every task of priority
// >= tasks[i] released together, and the lower-priority tasks the blocking
// term names entering their sections just before (one nanosecond apart, in
// increasing priority), so that task i's first job sees the worst case.
// Returns the tasks and, in *lead_ns, how long before the critical instant the
// first blocker started (the first job's response is the RTA's minus lead).
std::vector<SimTask> critical_instant(const std::vector<Task>& tasks, size_t i, int64_t* lead_ns);

}  // namespace kiln::sched
