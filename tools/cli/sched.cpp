// kiln sched TASKS.yaml [--json] [--probe ELF] [--margin F]: fixed-priority
// response-time analysis with priority-inheritance blocking. Exits 1 naming
// every task that can miss. Tasks with `wcet: {model, board}` are measured on
// the emulated rv32 target (QEMU probe) and timed with the board's clock.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/sched/rta.h"
#include "kiln/sched/task_set_yaml.h"
#include "kiln/board/board.h"
#include "qemu_probe.h"

#ifndef KILN_DEFAULT_PROBE_ELF
#define KILN_DEFAULT_PROBE_ELF ""
#endif

namespace kiln::cli {

namespace {

struct SchedOptions {
  std::string tasks;
  bool json = false;
  std::string probe;  // --probe, else $KILN_PROBE_ELF, else the cross build's
  double margin = 0.0;
};

bool file_exists(const std::string& p) {
  struct stat st {};
  return !p.empty() && stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string probe_path(const SchedOptions& o, std::string* from) {
  if (!o.probe.empty()) {
    *from = "--probe";
    return o.probe;
  }
  if (const char* env = std::getenv("KILN_PROBE_ELF"); env != nullptr && *env != '\0') {
    *from = "KILN_PROBE_ELF";
    return env;
  }
  *from = "the cross build's default";
  return KILN_DEFAULT_PROBE_ELF;
}

// Runs the model on the emulated rv32 target and reads the board's clock.
sched::WcetMeasurement measure_on_target(const sched::WcetRequest& r, const SchedOptions& o) {
  board::Board b;
  try {
    b = board::load_board(r.board);
  } catch (const std::exception& e) {
    host::fail("board '" + r.board + "': " + e.what());
  }
  if (b.clock_hz == 0) host::fail("board '" + r.board + "' has no cpu clock-frequency in its device tree");
  if (!file_exists(r.model)) host::fail("model " + r.model + " not found");
  std::string from;
  const std::string probe = probe_path(o, &from);
  if (!file_exists(probe)) {
    host::fail("measuring " + r.model + " needs the rv32 probe firmware, not found at '" + probe + "' (" + from +
               "): build it with `make cross`, or give --probe or KILN_PROBE_ELF");
  }
  std::fprintf(stderr, "kiln sched: measuring %s on the emulated rv32 target (QEMU, %s)...\n", r.model.c_str(),
               probe.c_str());
  std::string why;
  const auto res = target::run_probe(probe, r.model, r.input, &why);
  if (!res) host::fail("measuring " + r.model + " on QEMU failed: " + why);
  sched::WcetMeasurement m;
  m.instructions = res->get("invoke_instret");
  if (m.instructions == 0) host::fail("the probe reported no instructions for " + r.model);
  m.clock_hz = b.clock_hz;
  m.how = "rv32imac instructions per invoke of " + r.model + " (QEMU probe, -icount)";
  return m;
}

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
  for (const sched::TaskResult& t : a.tasks) {
    if (!t.wcet_source.empty()) o << "WCET of " << t.name << ": " << t.wcet_source << "\n";
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
                          {"miss_by_us", us(t.miss_by_ns)},
                          {"wcet_source", t.wcet_source.empty() ? "task set" : t.wcet_source}});
  }
  return j;
}

void run_sched(const SchedOptions& o) {
  sched::TaskSetOptions opt;
  opt.margin = o.margin;
  opt.meter = [&o](const sched::WcetRequest& r) { return measure_on_target(r, o); };
  const sched::Analysis a = sched::analyze(sched::load_task_set(o.tasks, opt));
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
  cmd->add_option("--probe", opts->probe,
                  "rv32 probe firmware measuring `wcet: {model: ...}` tasks on QEMU "
                  "(default: $KILN_PROBE_ELF, else " KILN_DEFAULT_PROBE_ELF ")");
  cmd->add_option("--margin", opts->margin, "Safety margin on measured WCETs (0.2 = +20 %)")
      ->check(CLI::Range(0.0, 10.0));
  cmd->callback([opts] { run_sched(*opts); });
}

}  // namespace kiln::cli
