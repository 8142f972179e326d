// Response-time analysis: R = C + B + sum_{hp} ceil(R / T_j) C_j, iterated to
// a fixed point, with B the priority-inheritance blocking bound.
#include "kiln/sched/rta.h"

#include <algorithm>
#include <map>

#include "kiln/host/error.h"

namespace kiln::sched {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Highest priority among the tasks that use each resource.
std::map<std::string, int> resource_ceilings(const std::vector<Task>& tasks) {
  std::map<std::string, int> ceiling;
  for (const Task& t : tasks) {
    for (const CriticalSection& s : t.sections) {
      auto it = ceiling.find(s.resource);
      if (it == ceiling.end() || it->second < t.priority) ceiling[s.resource] = t.priority;
    }
  }
  return ceiling;
}

void validate(const std::vector<Task>& tasks) {
  if (tasks.empty()) host::fail("task set is empty");
  for (const Task& t : tasks) {
    if (t.period_ns <= 0 || t.wcet_ns <= 0 || t.deadline_ns <= 0) {
      host::fail("task '" + t.name + "': period, deadline and WCET must be positive");
    }
    for (const CriticalSection& s : t.sections) {
      if (s.duration_ns < 0 || s.duration_ns > t.wcet_ns) {
        host::fail("task '" + t.name + "': critical section on '" + s.resource + "' must be within its WCET");
      }
    }
  }
}

}  // namespace

std::vector<Blocker> pip_blockers(const std::vector<Task>& tasks, size_t i) {
  const std::map<std::string, int> ceiling = resource_ceilings(tasks);
  const int p = tasks[i].priority;
  // A lower-priority task blocks i at most once, for its longest section on a
  // resource whose ceiling reaches p (direct or push-through blocking) ...
  std::vector<Blocker> by_task;
  int64_t by_task_ns = 0;
  // ... and each such resource blocks i at most once, for its longest section.
  std::map<std::string, Blocker> by_resource;
  for (size_t j = 0; j < tasks.size(); ++j) {
    if (tasks[j].priority >= p) continue;
    Blocker longest{j, "", 0};
    for (const CriticalSection& s : tasks[j].sections) {
      if (ceiling.at(s.resource) < p) continue;
      if (s.duration_ns > longest.duration_ns) longest = {j, s.resource, s.duration_ns};
      Blocker& best = by_resource[s.resource];
      if (s.duration_ns > best.duration_ns) best = {j, s.resource, s.duration_ns};
    }
    if (longest.duration_ns > 0) {
      by_task.push_back(longest);
      by_task_ns += longest.duration_ns;
    }
  }
  std::vector<Blocker> by_res;
  int64_t by_res_ns = 0;
  for (const auto& kv : by_resource) {
    by_res.push_back(kv.second);
    by_res_ns += kv.second.duration_ns;
  }
  return by_res_ns < by_task_ns ? by_res : by_task;
}

int64_t pip_blocking(const std::vector<Task>& tasks, size_t i, std::string* who) {
  int64_t total = 0;
  std::string names;
  for (const Blocker& b : pip_blockers(tasks, i)) {
    total += b.duration_ns;
    names += (names.empty() ? "" : ", ") + tasks[b.task].name + " on " + b.resource;
  }
  if (who != nullptr) *who = names;
  return total;
}

Analysis analyze(const std::vector<Task>& tasks) {
  validate(tasks);
  std::vector<size_t> order(tasks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return tasks[a].priority > tasks[b].priority; });
  Analysis out;
  for (const Task& t : tasks) out.utilization += static_cast<double>(t.wcet_ns) / static_cast<double>(t.period_ns);
  int64_t longest_period = 0;
  for (const Task& t : tasks) longest_period = std::max(longest_period, std::max(t.period_ns, t.deadline_ns));

  for (size_t i : order) {
    const Task& t = tasks[i];
    TaskResult r;
    r.name = t.name;
    r.priority = t.priority;
    r.wcet_ns = t.wcet_ns;
    r.period_ns = t.period_ns;
    r.deadline_ns = t.deadline_ns;
    r.wcet_source = t.wcet_source;
    r.blocking_ns = pip_blocking(tasks, i, &r.blocked_by);
    // Equal priorities interfere with each other (FIFO order is not assumed).
    const int64_t base = t.wcet_ns + r.blocking_ns;
    const int64_t limit = std::max<int64_t>(longest_period, base) * 1000;
    int64_t resp = base;
    for (;;) {
      int64_t next = base;
      for (size_t j = 0; j < tasks.size(); ++j) {
        if (j != i && tasks[j].priority >= t.priority) next += ceil_div(resp, tasks[j].period_ns) * tasks[j].wcet_ns;
      }
      if (next == resp) break;
      resp = next;
      if (resp > limit) {
        r.converged = false;
        break;
      }
    }
    r.response_ns = resp;
    r.schedulable = r.converged && resp <= t.deadline_ns;
    r.miss_by_ns = r.schedulable ? 0 : resp - t.deadline_ns;
    out.schedulable = out.schedulable && r.schedulable;
    out.tasks.push_back(r);
  }
  return out;
}

}  // namespace kiln::sched
