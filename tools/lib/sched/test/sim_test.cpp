// The simulated scheduler: preemption, blocking with and without priority
// inheritance, exact times; and its agreement with the response-time analysis
// on textbook task sets (first job at the critical instant = RTA's bound).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "kiln/host/error.h"
#include "kiln/sched/rta.h"
#include "kiln/sched/sim.h"

namespace kiln::sched {
namespace {

constexpr int64_t kUs = 1000;

Task task(const std::string& name, int prio, int64_t period_us, int64_t wcet_us) {
  Task t;
  t.name = name;
  t.priority = prio;
  t.period_ns = period_us * kUs;
  t.deadline_ns = period_us * kUs;
  t.wcet_ns = wcet_us * kUs;
  return t;
}

// For every task: simulate the critical instant the RTA assumes and compare
// the first job's response with the analysis. The blockers enter their
// sections `lead` ns before the instant (the RTA's B is the supremum of that
// arrangement), so the simulated response is R - lead, exactly.
void expect_sim_matches_rta(const std::vector<Task>& tasks) {
  const Analysis a = analyze(tasks);
  for (size_t i = 0; i < tasks.size(); ++i) {
    const TaskResult* r = nullptr;
    for (const TaskResult& x : a.tasks) {
      if (x.name == tasks[i].name) r = &x;
    }
    ASSERT_NE(r, nullptr);
    if (!r->converged) continue;  // no finite worst case to compare
    int64_t lead = 0;
    const std::vector<SimTask> scenario = critical_instant(tasks, i, &lead);
    SimConfig cfg;
    cfg.horizon_ns = lead + r->response_ns + 1;
    const SimResult s = simulate(scenario, cfg);
    const SimTaskStats& st = s.at(tasks[i].name);
    EXPECT_EQ(st.first_response_ns + lead, r->response_ns)
        << tasks[i].name << ": simulated " << st.first_response_ns << " ns after a lead of " << lead
        << " ns, RTA " << r->response_ns << " ns";
    // A task blocked directly (on a resource it uses, not by push-through)
    // waited for that mutex.
    for (const Blocker& b : pip_blockers(tasks, i)) {
      for (const CriticalSection& cs : tasks[i].sections) {
        if (cs.resource == b.resource) {
          EXPECT_GT(st.worst_blocked_ns, 0) << tasks[i].name << " on " << b.resource;
        }
      }
    }
    std::printf("SIMULATED: %-3s R_sim %8.3f us + lead %lld ns = R_rta %8.3f us (B %.3f us)\n",
                tasks[i].name.c_str(), st.first_response_ns / 1000.0, static_cast<long long>(lead),
                r->response_ns / 1000.0, r->blocking_ns / 1000.0);
  }
}

TEST(SchedSim, AgreesWithRtaOnBurnsWellingsSets) {
  expect_sim_matches_rta({task("a", 3, 7, 3), task("b", 2, 12, 3), task("c", 1, 20, 5)});
  // a misses by 2: its first job at the critical instant finishes at 52.
  expect_sim_matches_rta({task("a", 1, 50, 12), task("b", 2, 40, 10), task("c", 3, 30, 10)});
}

TEST(SchedSim, AgreesWithRtaWhenResponseEqualsDeadline) {
  expect_sim_matches_rta({task("t1", 3, 4, 1), task("t2", 2, 6, 2), task("t3", 1, 10, 3)});
  // U = 0.87, above the Liu & Layland bound for three tasks (0.78): R = 1, 3, 12.
  expect_sim_matches_rta({task("x", 3, 5, 1), task("y", 2, 8, 2), task("z", 1, 12, 5)});
  // Overloaded (U = 1.2): b's first job still has a finite response, 18.
  expect_sim_matches_rta({task("a", 2, 10, 6), task("b", 1, 10, 6)});
}

TEST(SchedSim, AgreesWithRtaOnPriorityInheritanceBlocking) {
  // Direct blocking of H and push-through blocking of M by L's section on S.
  Task h = task("H", 3, 10, 2);
  h.sections.push_back({"S", 1 * kUs});
  Task m = task("M", 2, 20, 4);
  Task l = task("L", 1, 50, 10);
  l.sections.push_back({"S", 3 * kUs});
  expect_sim_matches_rta({h, m, l});
  // Two semaphores held by two lower tasks: H is blocked once by each.
  Task h2 = task("H", 3, 100, 10);
  h2.sections = {{"A", 1 * kUs}, {"B", 1 * kUs}};
  Task l1 = task("L1", 2, 200, 20);
  l1.sections.push_back({"A", 4 * kUs});
  Task l2 = task("L2", 1, 300, 20);
  l2.sections.push_back({"B", 5 * kUs});
  expect_sim_matches_rta({h2, l1, l2});
}

// L holds S, H waits for it, M (independent) arrives: without inheritance H
// waits for L's section and all of M, with it for L's section only.
std::vector<SimTask> inversion(int64_t section, int64_t burst) {
  SimTask l{"L", 2, 0, 1000 * section, 0, {SimStep::lock("S"), SimStep::compute(section), SimStep::unlock("S")}, 0};
  SimTask h{"H", 10, 0, 1000 * section, 1 * kUs, {SimStep::lock("S"), SimStep::unlock("S")}, 0};
  SimTask m{"M", 5, 0, 1000 * section, 2 * kUs, {SimStep::compute(burst)}, 0};
  return {l, h, m};
}

TEST(SchedSim, InheritanceRemovesTheMediumTaskFromHighsBlocking) {
  SimConfig cfg;
  cfg.horizon_ns = 1000 * kUs;  // every one-shot job is released
  cfg.trace = true;
  cfg.priority_inheritance = false;
  const SimResult none = simulate(inversion(30 * kUs, 60 * kUs), cfg);
  // H blocks at 1, M runs 2..62, L finishes its section at 90.
  EXPECT_EQ(none.at("H").worst_blocked_ns, 89 * kUs);
  EXPECT_EQ(none.at("H").first_response_ns, 89 * kUs);
  cfg.priority_inheritance = true;
  const SimResult pi = simulate(inversion(30 * kUs, 60 * kUs), cfg);
  EXPECT_EQ(pi.at("H").worst_blocked_ns, 29 * kUs);
  EXPECT_EQ(pi.at("M").first_response_ns, 30 * kUs + 60 * kUs - 2 * kUs);
  // Trace: L 0..30 (it inherits H's priority at 1), H at 30, M 30..90.
  ASSERT_GE(pi.trace.size(), 2u);
  EXPECT_EQ(pi.trace[0].task, 0);
  EXPECT_EQ(pi.trace[0].end_ns, 30 * kUs);
  EXPECT_EQ(pi.trace[1].task, 2);
  EXPECT_EQ(pi.trace[1].end_ns, 90 * kUs);
}

TEST(SchedSim, InheritanceIsTransitive) {
  // L holds A; M holds B and waits for A; H waits for B. L must run at H's
  // priority so that X (between H and M) cannot delay H.
  SimTask l{"L", 1, 0, 1000 * kUs, 0, {SimStep::lock("A"), SimStep::compute(10 * kUs), SimStep::unlock("A")}, 0};
  SimTask m{"M", 3, 0, 1000 * kUs, 1 * kUs,
            {SimStep::lock("B"), SimStep::lock("A"), SimStep::unlock("A"), SimStep::unlock("B")}, 0};
  SimTask h{"H", 9, 0, 1000 * kUs, 2 * kUs, {SimStep::lock("B"), SimStep::unlock("B")}, 0};
  SimTask x{"X", 5, 0, 1000 * kUs, 3 * kUs, {SimStep::compute(50 * kUs)}, 0};
  SimConfig cfg;
  cfg.horizon_ns = 1000 * kUs;  // every one-shot job is released
  const SimResult r = simulate({l, m, h, x}, cfg);
  EXPECT_EQ(r.at("H").first_response_ns, 10 * kUs - 2 * kUs);  // L's section ends at 10
  cfg.priority_inheritance = false;
  EXPECT_EQ(simulate({l, m, h, x}, cfg).at("H").first_response_ns, 60 * kUs - 2 * kUs);
}

TEST(SchedSim, PeriodicJobsQueueAndCountMisses) {
  // U = 1.2 on one CPU: the low task falls further behind every period.
  std::vector<SimTask> ts = {to_sim_task(task("a", 2, 10, 6)), to_sim_task(task("b", 1, 10, 6))};
  SimConfig cfg;
  cfg.horizon_ns = 100 * kUs;
  const SimResult r = simulate(ts, cfg);
  EXPECT_EQ(r.at("a").released, 10u);
  EXPECT_EQ(r.at("a").misses, 0u);
  EXPECT_EQ(r.at("a").worst_response_ns, 6 * kUs);
  EXPECT_EQ(r.at("b").completed, 10u);  // the sim drains released work
  EXPECT_EQ(r.at("b").misses, 10u);     // every job of b ends after its deadline
  EXPECT_EQ(r.at("b").first_response_ns, 18 * kUs);
  EXPECT_EQ(r.end_ns, 120 * kUs);  // 10 * (6 + 6) of work
}

TEST(SchedSim, RejectsInconsistentScenarios) {
  SimConfig cfg;
  cfg.horizon_ns = 10;
  SimTask bad{"u", 1, 0, 100, 0, {SimStep::unlock("S")}, 0};
  EXPECT_THROW(simulate({bad}, cfg), host::ToolError);
  SimTask held{"h", 1, 0, 100, 0, {SimStep::lock("S"), SimStep::compute(5)}, 0};
  EXPECT_THROW(simulate({held}, cfg), host::ToolError);
  SimTask twice{"t", 1, 0, 100, 0, {SimStep::lock("S"), SimStep::lock("S")}, 0};
  EXPECT_THROW(simulate({twice}, cfg), host::ToolError);
  cfg.horizon_ns = 0;
  EXPECT_THROW(simulate({}, cfg), host::ToolError);
}

}  // namespace
}  // namespace kiln::sched
