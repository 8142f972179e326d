// kiln sched: response-time analysis on textbook task sets with known
// response times, priority-inheritance blocking, YAML parsing and the CLI.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "kiln/host/error.h"
#include "kiln/sched/rta.h"
#include "kiln/sched/task_set_yaml.h"

namespace kiln::sched {
namespace {

constexpr int64_t kUs = 1000;  // task sets below are in microseconds

Task task(const std::string& name, int prio, int64_t period, int64_t wcet) {
  Task t;
  t.name = name;
  t.priority = prio;
  t.period_ns = period * kUs;
  t.deadline_ns = period * kUs;
  t.wcet_ns = wcet * kUs;
  return t;
}

const TaskResult& find(const Analysis& a, const std::string& name) {
  for (const TaskResult& t : a.tasks) {
    if (t.name == name) return t;
  }
  ADD_FAILURE() << "no task " << name;
  return a.tasks.front();
}

// Burns & Wellings, Real-Time Systems and Programming Languages: a (T=7,
// C=3), b (12, 3), c (20, 5), rate-monotonic: R = 3, 6, 20.
TEST(SchedRta, BurnsWellingsSetMeetsDeadlinesWithKnownResponses) {
  const Analysis a = analyze({task("a", 3, 7, 3), task("b", 2, 12, 3), task("c", 1, 20, 5)});
  EXPECT_EQ(find(a, "a").response_ns, 3 * kUs);
  EXPECT_EQ(find(a, "b").response_ns, 6 * kUs);
  EXPECT_EQ(find(a, "c").response_ns, 20 * kUs);
  EXPECT_TRUE(a.schedulable);
  EXPECT_NEAR(a.utilization, 3.0 / 7 + 3.0 / 12 + 5.0 / 20, 1e-9);
}

// Burns & Wellings: a (50, 12), b (40, 10), c (30, 10): utilization 0.82
// passes no bound and RTA shows a's response 52 > 50.
TEST(SchedRta, BurnsWellingsSetMissesByTwo) {
  const Analysis a = analyze({task("a", 1, 50, 12), task("b", 2, 40, 10), task("c", 3, 30, 10)});
  EXPECT_EQ(find(a, "c").response_ns, 10 * kUs);
  EXPECT_EQ(find(a, "b").response_ns, 20 * kUs);
  EXPECT_EQ(find(a, "a").response_ns, 52 * kUs);
  EXPECT_FALSE(find(a, "a").schedulable);
  EXPECT_EQ(find(a, "a").miss_by_ns, 2 * kUs);
  EXPECT_FALSE(a.schedulable);
}

// (T, C) = (4, 1), (6, 2), (10, 3): the lowest task finishes exactly at its
// deadline, R = 1, 3, 10.
TEST(SchedRta, ResponseExactlyAtDeadlineIsSchedulable) {
  const Analysis a = analyze({task("t1", 3, 4, 1), task("t2", 2, 6, 2), task("t3", 1, 10, 3)});
  EXPECT_EQ(find(a, "t1").response_ns, 1 * kUs);
  EXPECT_EQ(find(a, "t2").response_ns, 3 * kUs);
  EXPECT_EQ(find(a, "t3").response_ns, 10 * kUs);
  EXPECT_TRUE(a.schedulable);
}

// Priority inheritance: L's 3 us section on S blocks H directly and M by
// push-through (S's ceiling is H). R_H = 2 + 3, R_M = 4 + 3 + 2, R_L = 18.
TEST(SchedRta, PriorityInheritanceBlockingTerms) {
  Task h = task("H", 3, 10, 2);
  h.sections.push_back({"S", 1 * kUs});
  Task m = task("M", 2, 20, 4);
  Task l = task("L", 1, 50, 10);
  l.sections.push_back({"S", 3 * kUs});
  const Analysis a = analyze({h, m, l});
  EXPECT_EQ(find(a, "H").blocking_ns, 3 * kUs);
  EXPECT_EQ(find(a, "H").blocked_by, "L on S");
  EXPECT_EQ(find(a, "H").response_ns, 5 * kUs);
  EXPECT_EQ(find(a, "M").blocking_ns, 3 * kUs);
  EXPECT_EQ(find(a, "M").response_ns, 9 * kUs);
  EXPECT_EQ(find(a, "L").blocking_ns, 0);
  EXPECT_EQ(find(a, "L").response_ns, 18 * kUs);
}

// Two lower tasks on one semaphore: it blocks once, for the longer section
// (semaphore bound 5 < task bound 4 + 5).
TEST(SchedRta, EachSemaphoreBlocksOnce) {
  Task h = task("H", 3, 100, 10);
  h.sections.push_back({"S", 1 * kUs});
  Task l1 = task("L1", 2, 200, 20);
  l1.sections.push_back({"S", 4 * kUs});
  Task l2 = task("L2", 1, 300, 20);
  l2.sections.push_back({"S", 5 * kUs});
  EXPECT_EQ(pip_blocking({h, l1, l2}, 0, nullptr), 5 * kUs);
  // Two semaphores, one lower task: it blocks once, for its longer section.
  Task h2 = task("H", 2, 100, 10);
  h2.sections = {{"A", 1 * kUs}, {"B", 1 * kUs}};
  Task l = task("L", 1, 200, 20);
  l.sections = {{"A", 4 * kUs}, {"B", 6 * kUs}};
  EXPECT_EQ(pip_blocking({h2, l}, 0, nullptr), 6 * kUs);
}

TEST(SchedRta, OverloadedSetsAreReported) {
  // U = 1.2: b's recurrence settles at 6 + 2 * 6 = 18 > 10.
  const Analysis a = analyze({task("a", 2, 10, 6), task("b", 1, 10, 6)});
  EXPECT_EQ(find(a, "b").response_ns, 18 * kUs);
  EXPECT_EQ(find(a, "b").miss_by_ns, 8 * kUs);
  EXPECT_GT(a.utilization, 1.0);
  // Higher-priority utilization of 1: b never runs, no fixed point.
  const Analysis full = analyze({task("a", 2, 10, 10), task("b", 1, 10, 1)});
  EXPECT_FALSE(find(full, "b").converged);
  EXPECT_FALSE(find(full, "b").schedulable);
}

TEST(SchedYaml, ParsesTasksInstructionsAndDeadlineMonotonicDefault) {
  const std::vector<Task> ts = parse_task_set(R"(
board: {clock_hz: 100000000, cycles_per_instruction: 1.5}
tasks:
  - {name: fast, period_us: 1000, wcet_us: 50, critical_sections: [{resource: ring, duration_us: 2.5}]}
  - {name: model, period_us: 100000, deadline_us: 80000, wcet_instructions: 2000000}
)");
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[0].wcet_ns, 50 * kUs);
  EXPECT_EQ(ts[0].sections.at(0).duration_ns, 2500);
  EXPECT_EQ(ts[1].deadline_ns, 80000 * kUs);
  EXPECT_EQ(ts[1].wcet_ns, 30000 * kUs);  // 2e6 instr * 1.5 / 100 MHz
  EXPECT_GT(ts[0].priority, ts[1].priority);  // shorter deadline, higher priority
}

TEST(SchedYaml, RejectsBadInputWithTheTaskNamed) {
  auto message = [](const std::string& text) {
    try {
      parse_task_set(text);
    } catch (const host::ToolError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("tasks: [{name: x, wcet_us: 1}]").find("'x': period_us is required"), std::string::npos);
  EXPECT_NE(message("tasks: [{name: y, period_us: 10, wcet_instructions: 5}]").find("board.clock_hz"),
            std::string::npos);
  EXPECT_NE(message("tasks: [{name: z, period_us: 10, wcet_us: 1, perod: 3}]").find("unknown field 'perod'"),
            std::string::npos);
  EXPECT_NE(message("tasks: [{name: w, period_us: abc, wcet_us: 1}]").find("expected a number"), std::string::npos);
  EXPECT_NE(message("{tasks: [").find("not valid YAML"), std::string::npos);
  EXPECT_THROW(analyze(parse_task_set("tasks: [{name: v, period_us: 10, wcet_us: 1, "
                                      "critical_sections: [{resource: r, duration_us: 5}]}]")),
               host::ToolError);
}

#ifdef KILN_CLI_PATH
TEST(SchedCli, ReportsTheMissingTaskAndExitsNonZero) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/sched_cli_tasks.yaml";
  std::ofstream(path) << "tasks:\n  - {name: a, priority: 1, period_us: 50, wcet_us: 12}\n"
                         "  - {name: b, priority: 2, period_us: 40, wcet_us: 10}\n"
                         "  - {name: c, priority: 3, period_us: 30, wcet_us: 10}\n";
  const std::string out = dir + "/sched_cli_out.txt";
  const int rc = std::system((std::string(KILN_CLI_PATH) + " sched " + path + " > " + out + " 2>&1").c_str());
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(rc, 0);
  EXPECT_NE(text.find("MISSES its deadline by 2.000 us"), std::string::npos) << text;
  EXPECT_NE(text.find("kiln: error: task set is not schedulable: a can miss its deadline"), std::string::npos)
      << text;
}
#endif

}  // namespace
}  // namespace kiln::sched
