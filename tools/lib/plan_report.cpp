#include "kiln/host/plan_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "kiln/host/model_report.h"

namespace kiln::host {

using nlohmann::json;

namespace {

constexpr char kLetters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr size_t kLetterCount = sizeof(kLetters) - 1;

char letter(size_t i) { return kLetters[i % kLetterCount]; }

std::string buffer_name(const LoadedModel& model, const runtime::PlannedBuffer& b) {
  if (b.tensor >= 0) return model.tensor_name(static_cast<uint32_t>(b.tensor));
  return "scratch of op " + std::to_string(b.scratch_op) + " (" +
         (b.scratch_op >= 0 ? model.op_name(static_cast<uint32_t>(b.scratch_op)) : std::string("?")) + ")";
}

}  // namespace

json plan_json(const LoadedModel& model, const runtime::Interpreter& interp,
               const std::vector<runtime::PlannedBuffer>& buffers) {
  std::vector<runtime::PlannedBuffer> sorted = buffers;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.first_op < b.first_op;
  });
  json list = json::array();
  for (const auto& b : sorted) {
    list.push_back({{"tensor", b.tensor >= 0 ? json(b.tensor) : json(nullptr)},
                    {"name", buffer_name(model, b)},
                    {"scratch_op", b.scratch_op >= 0 ? json(b.scratch_op) : json(nullptr)},
                    {"offset", b.offset},
                    {"size", b.size},
                    {"first_op", b.first_op},
                    {"last_op", b.last_op}});
  }
  return {{"file", model.path()},
          {"operators", interp.op_count()},
          {"arena", arena_json(interp.arena_report())},
          {"buffers", list}};
}

std::string plan_picture(const json& plan, uint32_t width) {
  const json& buffers = plan["buffers"];
  uint64_t end = 1;
  for (const json& b : buffers) end = std::max<uint64_t>(end, b["offset"].get<uint64_t>() + b["size"].get<uint64_t>());
  const uint32_t ops = plan["operators"].get<uint32_t>();
  std::ostringstream os;
  os << "layout (columns: " << human_bytes((end + width - 1) / width) << " each; rows: operators)\n";
  for (uint32_t op = 0; op < ops; ++op) {
    std::string row(width, '.');
    for (size_t i = 0; i < buffers.size(); ++i) {
      const json& b = buffers[i];
      if (op < b["first_op"].get<uint32_t>() || op > b["last_op"].get<uint32_t>() || b["size"].get<uint64_t>() == 0) continue;
      const uint64_t lo = b["offset"].get<uint64_t>() * width / end;
      const uint64_t hi = (b["offset"].get<uint64_t>() + b["size"].get<uint64_t>()) * width;
      const uint64_t hi_col = std::min<uint64_t>((hi + end - 1) / end, width);
      for (uint64_t c = lo; c < hi_col; ++c) row[c] = letter(i);
    }
    char label[16];
    std::snprintf(label, sizeof label, "%4u |", op);
    os << label << row << "|\n";
  }
  return os.str();
}

std::string render_plan(const json& plan) {
  std::ostringstream os;
  const json& a = plan["arena"];
  const auto bytes = [&](const char* key) { return a[key].get<uint64_t>(); };
  os << "arena: required " << bytes("required_bytes") << " bytes = planned " << bytes("planned_bytes")
     << " + persistent " << bytes("persistent_bytes") << "\n";
  const uint64_t planned = bytes("planned_bytes"), lower = bytes("lower_bound_bytes");
  char eff[64] = "";
  if (lower > 0 && planned >= lower) {
    std::snprintf(eff, sizeof eff, " (%.1f%% above)", 100.0 * static_cast<double>(planned - lower) / static_cast<double>(lower));
  }
  os << "planned " << planned << " bytes vs lower bound " << lower << eff << "\n";
  os << "persistent: tensor table " << bytes("tensor_table_bytes") << ", op table " << bytes("op_table_bytes")
     << ", state " << bytes("state_bytes") << ", kernel data " << bytes("kernel_data_bytes")
     << "; init workspace " << bytes("workspace_bytes") << "\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-3s %10s %10s  %-9s %s\n", "id", "offset", "size", "ops", "buffer");
  os << line;
  for (size_t i = 0; i < plan["buffers"].size(); ++i) {
    const json& b = plan["buffers"][i];
    const std::string ops = std::to_string(b["first_op"].get<uint32_t>()) + "-" + std::to_string(b["last_op"].get<uint32_t>());
    std::snprintf(line, sizeof line, "  %-3c %10u %10u  %-9s ", letter(i), b["offset"].get<uint32_t>(),
                  b["size"].get<uint32_t>(), ops.c_str());
    os << line << short_name(b["name"].get<std::string>(), 70) << "\n";
  }
  os << "\n" << plan_picture(plan);
  return os.str();
}

}  // namespace kiln::host
