// YAML task sets -> sched::Task (yaml-cpp).
#include "kiln/sched/task_set_yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"

namespace kiln::sched {

namespace {

struct Board {
  double clock_hz = 0.0;
  double cpi = 1.0;
  std::map<std::string, double> cpi_by_board;  // boards: {name: {cpi: x}}
};

double number(const YAML::Node& node, const std::string& where) {
  try {
    return node.as<double>();
  } catch (const YAML::Exception&) {
    host::fail(where + ": expected a number");
  }
}

int64_t micros_to_ns(double us, const std::string& where) {
  if (!std::isfinite(us) || us < 0 || us > 1e12) host::fail(where + ": time out of range");
  return static_cast<int64_t>(std::llround(us * 1000.0));
}

std::string format_fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

// wcet: {model: ..., board: ..., [input: ...], [cpi: ...]}: measured.
void measured_wcet(const YAML::Node& w, const std::string& where, const Board& board, const TaskSetOptions& opt,
                   Task* t) {
  if (!w.IsMap() || !w["model"] || !w["board"]) host::fail(where + ": wcet must be {model: FILE, board: NAME}");
  static const std::set<std::string> known = {"model", "board", "input", "cpi"};
  for (const auto& kv : w) {
    if (known.count(kv.first.as<std::string>()) == 0) {
      host::fail(where + ": unknown field 'wcet." + kv.first.as<std::string>() + "'");
    }
  }
  auto resolve = [&](const std::string& p) {
    return p.empty() || p[0] == '/' || opt.base_dir.empty() ? p : opt.base_dir + "/" + p;
  };
  WcetRequest req;
  req.model = resolve(w["model"].as<std::string>());
  req.board = w["board"].as<std::string>();
  if (w["input"]) req.input = resolve(w["input"].as<std::string>());
  double cpi = 1.0;
  std::string cpi_why = "default for an in-order single-issue core";
  if (w["cpi"]) {
    cpi = number(w["cpi"], where + " wcet.cpi");
    cpi_why = "from the task";
  } else if (board.cpi_by_board.count(req.board)) {
    cpi = board.cpi_by_board.at(req.board);
    cpi_why = "boards." + req.board + ".cpi";
  }
  if (!std::isfinite(cpi) || cpi <= 0 || cpi > 1000) host::fail(where + ": cpi must be positive");
  if (!opt.meter) host::fail(where + ": wcet: {model: ...} needs a measurement (kiln sched runs it on the target)");
  WcetMeasurement m;
  try {
    m = opt.meter(req);
  } catch (const std::exception& e) {
    host::fail(where + ": " + e.what());
  }
  if (m.clock_hz == 0) host::fail(where + ": board '" + req.board + "' has no CPU clock frequency");
  t->wcet_ns = instructions_to_ns(m.instructions, cpi, m.clock_hz, opt.margin);
  t->wcet_source = std::to_string(m.instructions) + " " + m.how + " x CPI " + format_fixed(cpi, 2) + " (" +
                   cpi_why + ") / " + format_fixed(static_cast<double>(m.clock_hz) / 1e6, 3) + " MHz (" +
                   req.board + " device tree)";
  if (opt.margin > 0) t->wcet_source += " x (1 + margin " + format_fixed(opt.margin, 2) + ")";
}

Task parse_task(const YAML::Node& n, size_t index, const Board& board, const TaskSetOptions& opt) {
  Task t;
  const std::string at = "task " + std::to_string(index + 1);
  if (!n.IsMap()) host::fail(at + ": expected a mapping");
  t.name = n["name"] ? n["name"].as<std::string>() : at;
  const std::string where = "task '" + t.name + "'";
  static const std::set<std::string> known = {"name",      "priority",          "period_us",        "deadline_us",
                                              "wcet_us",   "wcet_instructions", "critical_sections",
                                              "wcet"};
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    if (known.count(key) == 0) host::fail(where + ": unknown field '" + key + "'");
  }
  if (!n["period_us"]) host::fail(where + ": period_us is required");
  t.period_ns = micros_to_ns(number(n["period_us"], where + " period_us"), where + " period_us");
  t.deadline_ns = n["deadline_us"] ? micros_to_ns(number(n["deadline_us"], where + " deadline_us"), where)
                                   : t.period_ns;
  if ((n["wcet_us"] ? 1 : 0) + (n["wcet_instructions"] ? 1 : 0) + (n["wcet"] ? 1 : 0) > 1) {
    host::fail(where + ": give one of wcet_us, wcet_instructions or wcet");
  }
  if (n["wcet"]) {
    measured_wcet(n["wcet"], where, board, opt, &t);
  } else if (n["wcet_us"]) {
    t.wcet_ns = micros_to_ns(number(n["wcet_us"], where + " wcet_us"), where + " wcet_us");
  } else if (n["wcet_instructions"]) {
    if (board.clock_hz <= 0) host::fail(where + ": wcet_instructions needs board.clock_hz");
    const double instr = number(n["wcet_instructions"], where + " wcet_instructions");
    t.wcet_ns = micros_to_ns(instr * board.cpi / board.clock_hz * 1e6, where + " wcet_instructions");
  } else {
    host::fail(where + ": wcet_us, wcet_instructions or wcet is required");
  }
  t.priority = n["priority"] ? static_cast<int>(number(n["priority"], where + " priority")) : 0;
  if (const YAML::Node cs = n["critical_sections"]) {
    if (!cs.IsSequence()) host::fail(where + ": critical_sections must be a list");
    for (const YAML::Node& s : cs) {
      if (!s["resource"] || !s["duration_us"]) {
        host::fail(where + ": each critical section needs resource and duration_us");
      }
      t.sections.push_back({s["resource"].as<std::string>(),
                            micros_to_ns(number(s["duration_us"], where + " duration_us"), where)});
    }
  }
  return t;
}

}  // namespace

int64_t instructions_to_ns(uint64_t instructions, double cpi, uint64_t clock_hz, double margin) {
  if (clock_hz == 0) host::fail("clock frequency must be positive");
  // long double: 64-bit mantissa, so instructions x 1e9 is exact for CPI 1.
  const long double ns = static_cast<long double>(instructions) * static_cast<long double>(cpi) * 1e9L /
                         static_cast<long double>(clock_hz) * (1.0L + static_cast<long double>(margin));
  if (!(ns >= 0) || ns > 9e18L) host::fail("WCET out of range");
  return static_cast<int64_t>(std::llroundl(ns));
}

std::vector<Task> parse_task_set(const std::string& yaml_text, const TaskSetOptions& options) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    host::fail(std::string("task set is not valid YAML: ") + e.what());
  }
  if (!root.IsMap() || !root["tasks"] || !root["tasks"].IsSequence()) {
    host::fail("task set must be a mapping with a 'tasks' list");
  }
  Board board;
  if (const YAML::Node b = root["board"]) {
    if (b["clock_hz"]) board.clock_hz = number(b["clock_hz"], "board.clock_hz");
    if (b["cycles_per_instruction"]) board.cpi = number(b["cycles_per_instruction"], "board.cycles_per_instruction");
  }
  if (const YAML::Node bs = root["boards"]) {
    if (!bs.IsMap()) host::fail("boards must map board names to {cpi: N}");
    for (const auto& kv : bs) {
      const std::string name = kv.first.as<std::string>();
      if (!kv.second.IsMap() || !kv.second["cpi"]) host::fail("boards." + name + ": expected {cpi: N}");
      board.cpi_by_board[name] = number(kv.second["cpi"], "boards." + name + ".cpi");
    }
  }
  if (!std::isfinite(options.margin) || options.margin < 0 || options.margin > 10) {
    host::fail("safety margin must be between 0 and 10 (0.2 = +20 %)");
  }
  std::vector<Task> tasks;
  const YAML::Node list = root["tasks"];
  for (size_t i = 0; i < list.size(); ++i) tasks.push_back(parse_task(list[i], i, board, options));
  // No priority anywhere: deadline-monotonic (optimal for D <= T).
  const bool any_priority = std::any_of(tasks.begin(), tasks.end(), [](const Task& t) { return t.priority != 0; });
  if (!any_priority) {
    std::vector<size_t> order(tasks.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return tasks[a].deadline_ns > tasks[b].deadline_ns; });
    for (size_t rank = 0; rank < order.size(); ++rank) tasks[order[rank]].priority = static_cast<int>(rank + 1);
  }
  return tasks;
}

std::vector<Task> load_task_set(const std::string& path, const TaskSetOptions& options) {
  const std::vector<uint8_t> bytes = host::read_file_bytes(path);
  TaskSetOptions opt = options;
  if (opt.base_dir.empty()) {
    const size_t slash = path.find_last_of('/');
    opt.base_dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  }
  return parse_task_set(std::string(bytes.begin(), bytes.end()), opt);
}

}  // namespace kiln::sched
