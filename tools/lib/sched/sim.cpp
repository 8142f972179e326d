// Discrete-event simulation of fixed-priority preemptive scheduling on one
// CPU; see sim.h for the rules. Events: releases, the end of the running
// job's compute step, and lock/unlock steps (zero time).
#include "kiln/sched/sim.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>

#include "kiln/host/error.h"

namespace kiln::sched {

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

struct Job {
  bool active = false;
  int64_t release = 0;
  int64_t deadline = 0;  // absolute
  size_t step = 0;
  int64_t remaining = 0;  // of the current compute step
  bool started = false;
  int waiting_on = -1;  // mutex index while blocked
  int64_t blocked_since = 0;
  int64_t blocked_total = 0;
};

struct TaskState {
  std::deque<int64_t> pending;  // releases waiting for the previous job
  int64_t next_release = kNever;
  uint32_t made = 0;
  Job job;
};

struct MutexState {
  int owner = -1;
  std::vector<int> waiters;
};

class Simulator {
 public:
  Simulator(const std::vector<SimTask>& tasks, const SimConfig& config) : tasks_(tasks), config_(config) {
    state_.resize(tasks.size());
    result_.tasks.resize(tasks.size());
    for (size_t i = 0; i < tasks.size(); ++i) {
      validate(tasks[i]);
      result_.tasks[i].name = tasks[i].name;
      if (tasks[i].offset_ns < config.horizon_ns) state_[i].next_release = tasks[i].offset_ns;
      for (const SimStep& s : tasks[i].body) {
        if (s.kind != SimStep::Kind::kCompute && mutex_index_.count(s.resource) == 0) {
          mutex_index_[s.resource] = static_cast<int>(mutexes_.size());
          mutexes_.emplace_back();
        }
      }
    }
  }

  SimResult run() {
    int64_t now = 0;
    for (const TaskState& s : state_) now = std::min(now, s.next_release);
    for (;;) {
      // Zero-time steps due now (a job whose compute just ended finishes or
      // unlocks) happen before the releases of this instant.
      settle(now);
      release_due(now);
      const int r = settle(now);
      const int64_t next_rel = next_release();
      if (r < 0) {
        if (next_rel == kNever) {
          check_deadlock(now);
          break;
        }
        add_trace(now, next_rel, -1);
        now = next_rel;
        continue;
      }
      Job& job = state_[r].job;
      if (!job.started) {
        job.started = true;
        SimTaskStats& st = result_.tasks[r];
        st.worst_start_delay_ns = std::max(st.worst_start_delay_ns, now - job.release);
      }
      const int64_t until = std::min(now + job.remaining, next_rel);
      add_trace(now, until, r);
      job.remaining -= until - now;
      now = until;
    }
    result_.end_ns = now;
    return result_;
  }

 private:
  static void validate(const SimTask& t) {
    if (t.period_ns < 0 || t.deadline_ns < 0 || t.offset_ns < 0) {
      host::fail("simulated task '" + t.name + "': times must not be negative");
    }
    if (t.period_ns == 0 && t.deadline_ns == 0) {
      host::fail("simulated task '" + t.name + "': a one-shot task needs a deadline");
    }
    for (const SimStep& s : t.body) {
      if (s.kind == SimStep::Kind::kCompute && s.duration_ns < 0) {
        host::fail("simulated task '" + t.name + "': negative compute time");
      }
    }
  }

  int64_t relative_deadline(size_t i) const {
    return tasks_[i].deadline_ns > 0 ? tasks_[i].deadline_ns : tasks_[i].period_ns;
  }

  int64_t next_release() const {
    int64_t t = kNever;
    for (const TaskState& s : state_) t = std::min(t, s.next_release);
    return t;
  }

  void release_due(int64_t now) {
    for (size_t i = 0; i < tasks_.size(); ++i) {
      TaskState& s = state_[i];
      while (s.next_release <= now) {
        s.pending.push_back(s.next_release);
        ++s.made;
        ++result_.tasks[i].released;
        const bool more = tasks_[i].period_ns > 0 && (tasks_[i].max_jobs == 0 || s.made < tasks_[i].max_jobs);
        const int64_t next = s.next_release + tasks_[i].period_ns;
        s.next_release = more && next < config_.horizon_ns ? next : kNever;
      }
      if (!s.job.active && !s.pending.empty()) activate(i);
    }
  }

  void activate(size_t i) {
    TaskState& s = state_[i];
    s.job = Job();
    s.job.active = true;
    s.job.release = s.pending.front();
    s.pending.pop_front();
    s.job.deadline = s.job.release + relative_deadline(i);
    load_step(i);
  }

  void load_step(size_t i) {
    Job& j = state_[i].job;
    const std::vector<SimStep>& body = tasks_[i].body;
    if (j.step < body.size() && body[j.step].kind == SimStep::Kind::kCompute) j.remaining = body[j.step].duration_ns;
  }

  // Effective priority: the base one, raised (with inheritance) to that of
  // every job blocked on a mutex this task holds, transitively.
  int effective(size_t i, size_t depth = 0) const {
    int p = tasks_[i].priority;
    if (!config_.priority_inheritance || depth > tasks_.size()) return p;
    for (const MutexState& m : mutexes_) {
      if (m.owner != static_cast<int>(i)) continue;
      for (int w : m.waiters) p = std::max(p, effective(static_cast<size_t>(w), depth + 1));
    }
    return p;
  }

  // The job that runs now: ready, most urgent, earliest released.
  int pick() const {
    int best = -1;
    int best_prio = 0;
    for (size_t i = 0; i < tasks_.size(); ++i) {
      const Job& j = state_[i].job;
      if (!j.active || j.waiting_on >= 0) continue;
      const int p = effective(i);
      if (best < 0 || p > best_prio || (p == best_prio && j.release < state_[best].job.release)) {
        best = static_cast<int>(i);
        best_prio = p;
      }
    }
    return best;
  }

  // Runs zero-time steps (locks, unlocks, finished jobs) until the job picked
  // to run has compute time left, or nothing is ready.
  int settle(int64_t now) {
    for (;;) {
      const int r = pick();
      if (r < 0) return -1;
      Job& j = state_[r].job;
      const std::vector<SimStep>& body = tasks_[r].body;
      if (j.step >= body.size()) {
        finish(static_cast<size_t>(r), now);
        continue;
      }
      const SimStep& s = body[j.step];
      if (s.kind == SimStep::Kind::kCompute) {
        if (j.remaining > 0) return r;
        next_step(static_cast<size_t>(r));
        continue;
      }
      if (!j.started) {
        j.started = true;
        SimTaskStats& st = result_.tasks[r];
        st.worst_start_delay_ns = std::max(st.worst_start_delay_ns, now - j.release);
      }
      MutexState& m = mutexes_[mutex_index_.at(s.resource)];
      if (s.kind == SimStep::Kind::kLock) {
        if (m.owner == r) host::fail("simulated task '" + tasks_[r].name + "' locks '" + s.resource + "' twice");
        if (m.owner < 0) {
          m.owner = r;
          next_step(static_cast<size_t>(r));
        } else {
          m.waiters.push_back(r);
          j.waiting_on = mutex_index_.at(s.resource);
          j.blocked_since = now;
        }
      } else {
        if (m.owner != r) host::fail("simulated task '" + tasks_[r].name + "' unlocks '" + s.resource + "' it does not hold");
        hand_over(m, now);
        next_step(static_cast<size_t>(r));
      }
    }
  }

  // Unlock: the most urgent waiter (earliest to wait among equals) owns it now.
  void hand_over(MutexState& m, int64_t now) {
    m.owner = -1;
    if (m.waiters.empty()) return;
    size_t best = 0;
    for (size_t k = 1; k < m.waiters.size(); ++k) {
      if (effective(static_cast<size_t>(m.waiters[k])) > effective(static_cast<size_t>(m.waiters[best]))) best = k;
    }
    const int w = m.waiters[best];
    m.waiters.erase(m.waiters.begin() + static_cast<std::ptrdiff_t>(best));
    Job& j = state_[w].job;
    j.waiting_on = -1;
    j.blocked_total += now - j.blocked_since;
    m.owner = w;
    next_step(static_cast<size_t>(w));  // its lock step is done
  }

  void next_step(size_t i) {
    ++state_[i].job.step;
    load_step(i);
  }

  void finish(size_t i, int64_t now) {
    for (const MutexState& m : mutexes_) {
      if (m.owner == static_cast<int>(i)) host::fail("simulated task '" + tasks_[i].name + "' ends holding a mutex");
    }
    Job& j = state_[i].job;
    SimTaskStats& st = result_.tasks[i];
    const int64_t response = now - j.release;
    if (st.completed == 0) {
      st.first_response_ns = response;
      st.best_response_ns = response;
    }
    ++st.completed;
    st.worst_response_ns = std::max(st.worst_response_ns, response);
    st.best_response_ns = std::min(st.best_response_ns, response);
    st.worst_blocked_ns = std::max(st.worst_blocked_ns, j.blocked_total);
    if (now > j.deadline) ++st.misses;
    j.active = false;
    if (!state_[i].pending.empty()) activate(i);
  }

  void check_deadlock(int64_t now) {
    for (size_t i = 0; i < tasks_.size(); ++i) {
      if (state_[i].job.active) {
        host::fail("simulation deadlocked at " + std::to_string(now) + " ns: '" + tasks_[i].name +
                   "' waits for a mutex forever");
      }
    }
  }

  void add_trace(int64_t from, int64_t to, int task) {
    if (!config_.trace || to <= from) return;
    std::vector<SimSegment>& tr = result_.trace;
    if (!tr.empty() && tr.back().task == task && tr.back().end_ns == from) {
      tr.back().end_ns = to;
    } else {
      tr.push_back({from, to, task});
    }
  }

  const std::vector<SimTask>& tasks_;
  SimConfig config_;
  std::vector<TaskState> state_;
  std::vector<MutexState> mutexes_;
  std::map<std::string, int> mutex_index_;
  SimResult result_;
};

}  // namespace

const SimTaskStats& SimResult::at(const std::string& name) const {
  for (const SimTaskStats& t : tasks) {
    if (t.name == name) return t;
  }
  host::fail("simulation has no task '" + name + "'");
}

SimResult simulate(const std::vector<SimTask>& tasks, const SimConfig& config) {
  if (config.horizon_ns <= 0) host::fail("simulation horizon must be positive");
  return Simulator(tasks, config).run();
}

SimTask to_sim_task(const Task& t) {
  SimTask s;
  s.name = t.name;
  s.priority = t.priority;
  s.period_ns = t.period_ns;
  s.deadline_ns = t.deadline_ns;
  int64_t rest = t.wcet_ns;
  for (const CriticalSection& cs : t.sections) {
    s.body.push_back(SimStep::lock(cs.resource));
    s.body.push_back(SimStep::compute(cs.duration_ns));
    s.body.push_back(SimStep::unlock(cs.resource));
    rest -= cs.duration_ns;
  }
  if (rest < 0) host::fail("task '" + t.name + "': critical sections add up to more than its WCET");
  s.body.push_back(SimStep::compute(rest));
  return s;
}

std::vector<SimTask> critical_instant(const std::vector<Task>& tasks, size_t i, int64_t* lead_ns) {
  const std::vector<Blocker> blockers = pip_blockers(tasks, i);
  // Blockers start in increasing priority, each preempting the one before
  // inside its section.
  std::vector<Blocker> order = blockers;
  std::stable_sort(order.begin(), order.end(),
                   [&](const Blocker& a, const Blocker& b) { return tasks[a.task].priority < tasks[b.task].priority; });
  const int64_t lead = static_cast<int64_t>(order.size());
  std::vector<SimTask> out;
  for (size_t j = 0; j < tasks.size(); ++j) {
    if (tasks[j].priority < tasks[i].priority) continue;
    SimTask s = to_sim_task(tasks[j]);
    s.offset_ns = lead;
    out.push_back(s);
  }
  for (size_t k = 0; k < order.size(); ++k) {
    const Task& t = tasks[order[k].task];
    SimTask s = to_sim_task(t);
    // The blocking section first, then the task's other work.
    s.body.clear();
    s.body.push_back(SimStep::lock(order[k].resource));
    s.body.push_back(SimStep::compute(order[k].duration_ns));
    s.body.push_back(SimStep::unlock(order[k].resource));
    s.body.push_back(SimStep::compute(t.wcet_ns - order[k].duration_ns));
    s.offset_ns = static_cast<int64_t>(k);
    s.max_jobs = 1;
    out.push_back(s);
  }
  if (lead_ns != nullptr) *lead_ns = lead;
  return out;
}

}  // namespace kiln::sched
