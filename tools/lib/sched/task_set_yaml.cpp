// YAML task sets -> sched::Task (yaml-cpp).
#include "kiln/sched/task_set_yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"

namespace kiln::sched {

namespace {

struct Board {
  double clock_hz = 0.0;
  double cpi = 1.0;
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

Task parse_task(const YAML::Node& n, size_t index, const Board& board) {
  Task t;
  const std::string at = "task " + std::to_string(index + 1);
  if (!n.IsMap()) host::fail(at + ": expected a mapping");
  t.name = n["name"] ? n["name"].as<std::string>() : at;
  const std::string where = "task '" + t.name + "'";
  static const std::set<std::string> known = {"name",      "priority",          "period_us",        "deadline_us",
                                              "wcet_us",   "wcet_instructions", "critical_sections"};
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    if (known.count(key) == 0) host::fail(where + ": unknown field '" + key + "'");
  }
  if (!n["period_us"]) host::fail(where + ": period_us is required");
  t.period_ns = micros_to_ns(number(n["period_us"], where + " period_us"), where + " period_us");
  t.deadline_ns = n["deadline_us"] ? micros_to_ns(number(n["deadline_us"], where + " deadline_us"), where)
                                   : t.period_ns;
  if (n["wcet_us"] && n["wcet_instructions"]) host::fail(where + ": give wcet_us or wcet_instructions, not both");
  if (n["wcet_us"]) {
    t.wcet_ns = micros_to_ns(number(n["wcet_us"], where + " wcet_us"), where + " wcet_us");
  } else if (n["wcet_instructions"]) {
    if (board.clock_hz <= 0) host::fail(where + ": wcet_instructions needs board.clock_hz");
    const double instr = number(n["wcet_instructions"], where + " wcet_instructions");
    t.wcet_ns = micros_to_ns(instr * board.cpi / board.clock_hz * 1e6, where + " wcet_instructions");
  } else {
    host::fail(where + ": wcet_us or wcet_instructions is required");
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

std::vector<Task> parse_task_set(const std::string& yaml_text) {
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
  std::vector<Task> tasks;
  const YAML::Node list = root["tasks"];
  for (size_t i = 0; i < list.size(); ++i) tasks.push_back(parse_task(list[i], i, board));
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

std::vector<Task> load_task_set(const std::string& path) {
  const std::vector<uint8_t> bytes = host::read_file_bytes(path);
  return parse_task_set(std::string(bytes.begin(), bytes.end()));
}

}  // namespace kiln::sched
