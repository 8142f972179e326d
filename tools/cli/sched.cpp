// kiln sched TASKS.yaml [--json]: fixed-priority response-time analysis with
// priority-inheritance blocking. Exits 1 naming every task that can miss.
#include <cstdio>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/sched/rta.h"
#include "kiln/sched/task_set_yaml.h"

namespace kiln::cli {

namespace {

struct SchedOptions {
  std::string tasks;
  bool json = false;
};

double us(int64_t ns) { return static_cast<double>(ns) / 1000.0; }

std::string render(const sched::Analysis& a) {
  std::ostringstream o;
  char line[256];
  std::snprintf(line, sizeof(line), "%-16s %5s %10s %10s %10s %10s %10s  %s\n", "task", "prio", "C us", "T us",
                "D us", "B us", "R us", "verdict");
  o << line;
  for (const sched::TaskResult& t : a.tasks) {
    std::string verdict;
    if (t.schedulable) {
      std::snprintf(line, sizeof(line), "ok, slack %.3f us", us(t.deadline_ns - t.response_ns));
      verdict = line;
    } else if (!t.converged) {
      verdict = "MISSES: response unbounded (utilization >= 1)";
    } else {
      std::snprintf(line, sizeof(line), "MISSES its deadline by %.3f us", us(t.miss_by_ns));
      verdict = line;
    }
    std::snprintf(line, sizeof(line), "%-16s %5d %10.3f %10.3f %10.3f %10.3f %10.3f  %s", t.name.c_str(), t.priority,
                  us(t.wcet_ns), us(t.period_ns), us(t.deadline_ns), us(t.blocking_ns), us(t.response_ns),
                  verdict.c_str());
    o << line;
    if (t.blocking_ns > 0) o << " (blocked by " << t.blocked_by << ")";
    o << "\n";
  }
  std::snprintf(line, sizeof(line), "utilization %.3f; %s\n", a.utilization,
                a.schedulable ? "every task meets its deadline" : "NOT schedulable");
  o << line;
  return o.str();
}

nlohmann::json to_json(const sched::Analysis& a) {
  nlohmann::json j;
  j["utilization"] = a.utilization;
  j["schedulable"] = a.schedulable;
  j["tasks"] = nlohmann::json::array();
  for (const sched::TaskResult& t : a.tasks) {
    j["tasks"].push_back({{"name", t.name},
                          {"priority", t.priority},
                          {"wcet_us", us(t.wcet_ns)},
                          {"period_us", us(t.period_ns)},
                          {"deadline_us", us(t.deadline_ns)},
                          {"blocking_us", us(t.blocking_ns)},
                          {"blocked_by", t.blocked_by},
                          {"response_us", us(t.response_ns)},
                          {"bounded", t.converged},
                          {"schedulable", t.schedulable},
                          {"miss_by_us", us(t.miss_by_ns)}});
  }
  return j;
}

void run_sched(const SchedOptions& o) {
  const sched::Analysis a = sched::analyze(sched::load_task_set(o.tasks));
  std::cout << (o.json ? to_json(a).dump(2) + "\n" : render(a));
  std::cout.flush();
  if (!a.schedulable) {
    std::string who;
    for (const sched::TaskResult& t : a.tasks) {
      if (!t.schedulable) who += (who.empty() ? "" : ", ") + t.name;
    }
    host::fail("task set is not schedulable: " + who + " can miss its deadline");
  }
}

}  // namespace

void register_sched(CLI::App& app) {
  auto opts = std::make_shared<SchedOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sched", "Response-time analysis of a fixed-priority task set (YAML) with priority-inheritance blocking");
  cmd->add_option("tasks", opts->tasks, "Task set YAML (see docs/rtos.md)")->required();
  cmd->add_flag("--json", opts->json, "Print a JSON document instead of text");
  cmd->callback([opts] { run_sched(*opts); });
}

}  // namespace kiln::cli
