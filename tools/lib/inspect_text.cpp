// Text rendering of `kiln inspect`: a summary line, then tables.
#include <cstdarg>
#include <cstdio>
#include <sstream>

#include "kiln/host/model_report.h"

namespace kiln::host {

using nlohmann::json;

namespace {

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  va_list args;
  va_start(args, f);
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, f, args);
  va_end(args);
  std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  std::vsnprintf(out.data(), out.size() + 1, f, again);
  va_end(again);
  return out;
}

std::string shape_of(const json& t) {
  std::string s = t["type"].get<std::string>() + "[";
  for (size_t i = 0; i < t["shape"].size(); ++i) s += (i ? "," : "") + std::to_string(t["shape"][i].get<int>());
  return s + "]";
}

std::string quant_of(const json& t) {
  if (!t.contains("quantization")) return "";
  const json& q = t["quantization"];
  if (q["channels"].get<uint32_t>() == 0) return "";
  if (q["per_channel"].get<bool>()) {
    return fmt("per-channel x%u axis %d", q["channels"].get<uint32_t>(), q["axis"].get<int>());
  }
  const long long zp = q["zero_point"].empty() ? 0 : q["zero_point"][0].get<long long>();
  return fmt("scale %.6g zp %lld", q["scale"][0].get<double>(), zp);
}

std::string refs(const json& list) {
  std::string s;
  for (const json& r : list) {
    if (!s.empty()) s += " ";
    s += r.is_null() ? "-" : "t" + std::to_string(r["index"].get<int>());
  }
  return s;
}

void io_section(std::ostream& os, const char* title, const json& list, const json& tensors) {
  os << title << ":\n";
  for (const json& r : list) {
    const json& t = tensors[r["index"].get<size_t>()];
    os << fmt("  t%-4d %-20s %-28s %s\n", t["index"].get<int>(), shape_of(t).c_str(), quant_of(t).c_str(),
              short_name(t["name"].get<std::string>()).c_str());
  }
}

void operators_section(std::ostream& os, const json& report) {
  os << "operators:\n" << fmt("  %4s  %-24s %10s  %s\n", "#", "op", "MACs", "inputs -> outputs");
  for (const json& op : report["operators"]) {
    const std::string macs = op.contains("macs") ? std::to_string(op["macs"].get<uint64_t>()) : "?";
    const json& out = op["outputs"];
    const std::string out_shape = out.size() == 1 && !out[0].is_null() ? " " + shape_of(out[0]) : "";
    os << fmt("  %4d  %-24s %10s  %s -> %s%s\n", op["index"].get<int>(), op["name"].get<std::string>().c_str(),
              macs.c_str(), refs(op["inputs"]).c_str(), refs(out).c_str(), out_shape.c_str());
  }
}

void tensors_section(std::ostream& os, const json& report) {
  os << "tensors:\n" << fmt("  %4s  %-22s %9s  %-5s %-28s %s\n", "#", "type", "bytes", "kind", "quantization", "name");
  for (const json& t : report["tensors"]) {
    const char* kind = t["constant"].get<bool>() ? "const" : (t["variable"].get<bool>() ? "state" : "act");
    os << fmt("  %4d  %-22s %9llu  %-5s %-28s %s\n", t["index"].get<int>(), shape_of(t).c_str(),
              static_cast<unsigned long long>(t["bytes"].get<uint64_t>()), kind, quant_of(t).c_str(),
              short_name(t["name"].get<std::string>()).c_str());
  }
}

}  // namespace

std::string human_count(uint64_t n) {
  if (n >= 1000000000ull) return fmt("%.3gG", static_cast<double>(n) / 1e9);
  if (n >= 1000000ull) return fmt("%.3gM", static_cast<double>(n) / 1e6);
  if (n >= 1000ull) return fmt("%.3gk", static_cast<double>(n) / 1e3);
  return std::to_string(n);
}

std::string human_bytes(uint64_t n) {
  if (n >= (1ull << 20)) return fmt("%.1f MiB", static_cast<double>(n) / (1 << 20));
  if (n >= 1024ull) return fmt("%.1f KiB", static_cast<double>(n) / 1024);
  return std::to_string(n) + " B";
}

std::string human_time(uint64_t ns) {
  const double t = static_cast<double>(ns);
  if (ns >= 1000000000ull) return fmt("%.2f s", t / 1e9);
  if (ns >= 1000000ull) return fmt("%.3g ms", t / 1e6);
  if (ns >= 1000ull) return fmt("%.3g us", t / 1e3);
  return std::to_string(ns) + " ns";
}

std::string short_name(const std::string& name, size_t max) {
  if (name.size() <= max || max < 4) return name;
  return name.substr(0, max - 3) + "...";
}

std::string render_inspect(const json& r) {
  std::ostringstream os;
  const std::string file = r["file"].get<std::string>();
  os << file.substr(file.find_last_of('/') + 1) << ": schema v" << r["schema_version"].get<int>() << ", "
     << r["operators"].size() << " ops, " << r["tensors"].size() << " tensors, weights "
     << human_bytes(r["weight_bytes"].get<uint64_t>());
  if (r.contains("arena")) {
    os << ", " << human_count(r["total_macs"].get<uint64_t>()) << " MACs, arena "
       << human_bytes(r["arena"]["required_bytes"].get<uint64_t>());
  }
  os << "\n";
  if (!r["description"].get<std::string>().empty()) os << "description: " << r["description"].get<std::string>() << "\n";
  if (r.contains("runtime_error")) os << "not runnable: " << r["runtime_error"].get<std::string>() << "\n";
  io_section(os, "inputs", r["inputs"], r["tensors"]);
  io_section(os, "outputs", r["outputs"], r["tensors"]);
  operators_section(os, r);
  tensors_section(os, r);
  if (r.contains("arena")) {
    const json& a = r["arena"];
    auto line = [&](const char* label, const char* key) {
      os << fmt("  %-20s %10llu\n", label, static_cast<unsigned long long>(a[key].get<uint64_t>()));
    };
    os << "arena (bytes):\n";
    line("planned", "planned_bytes");
    line("lower bound", "lower_bound_bytes");
    line("persistent", "persistent_bytes");
    line("  tensor table", "tensor_table_bytes");
    line("  op table", "op_table_bytes");
    line("  state", "state_bytes");
    line("  kernel data", "kernel_data_bytes");
    line("init workspace", "workspace_bytes");
    line("required", "required_bytes");
  }
  return os.str();
}

}  // namespace kiln::host
