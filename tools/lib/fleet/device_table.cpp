#include "kiln/fleet/device_table.h"

#include <cstdio>
#include <sstream>

namespace kiln::fleet {

using nlohmann::json;

void DeviceTable::update(const std::string& topic, const std::string& payload) {
  static const std::string kRoot = "kiln/v1/";
  if (topic.compare(0, kRoot.size(), kRoot) != 0) return;
  const size_t slash = topic.find('/', kRoot.size());
  if (slash == std::string::npos) return;
  const std::string id = topic.substr(kRoot.size(), slash - kRoot.size());
  const std::string kind = topic.substr(slash + 1);
  if (kind != "identity" && kind != "health" && kind != "ota") return;
  std::lock_guard<std::mutex> lock(mu_);
  if (payload.empty()) return;  // a cleared retained message
  json j = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("v") || j["v"] != 1) {
    ++malformed_;
    return;
  }
  DeviceRecord& d = devices_[id];
  d.id = id;
  ++d.messages;
  if (kind == "identity") d.identity = std::move(j);
  else if (kind == "health") d.health = std::move(j);
  else d.ota = std::move(j);
}

std::vector<DeviceRecord> DeviceTable::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<DeviceRecord> out;
  for (const auto& [id, d] : devices_) out.push_back(d);
  return out;
}

bool DeviceTable::get(const std::string& id, DeviceRecord* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = devices_.find(id);
  if (it == devices_.end()) return false;
  *out = it->second;
  return true;
}

size_t DeviceTable::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return devices_.size();
}

uint64_t DeviceTable::malformed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return malformed_;
}

std::string DeviceTable::version_text(const json& v) {
  if (!v.is_object()) return "-";
  return std::to_string(v.value("major", 0)) + "." + std::to_string(v.value("minor", 0)) + "." +
         std::to_string(v.value("revision", 0)) + "+" + std::to_string(v.value("build", 0));
}

namespace {
json sub(const json& j, const char* key) { return j.is_object() && j.contains(key) ? j[key] : json(); }
std::string field(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "-";
  const json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return v.dump();
}
}  // namespace

std::string DeviceTable::render_text() const {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof(line), "%-12s %-10s %-10s %-10s %4s %9s %8s %8s %6s %5s %7s %-10s %s\n", "device", "board",
                "firmware", "model", "seq", "inferences", "p50 us", "p99 us", "boots", "revs", "healthy", "ota", "arena");
  out << line;
  for (const DeviceRecord& d : snapshot()) {
    const std::string arena = d.health.is_object()
                                  ? field(d.health, "arena_used") + "/" + field(d.health, "arena_size")
                                  : std::string("-");
    std::snprintf(line, sizeof(line), "%-12s %-10s %-10s %-10s %4s %9s %8s %8s %6s %5s %7s %-10s %s\n", d.id.c_str(),
                  field(d.identity, "board").c_str(), version_text(sub(d.identity, "firmware")).c_str(),
                  version_text(sub(d.identity, "model")).c_str(), field(d.identity, "pair_sequence").c_str(),
                  field(d.health, "inferences").c_str(), field(d.health, "latency_p50_us").c_str(),
                  field(d.health, "latency_p99_us").c_str(), field(d.health, "boots").c_str(),
                  field(d.health, "reverts").c_str(), field(d.health, "ok").c_str(), field(d.ota, "state").c_str(),
                  arena.c_str());
    out << line;
  }
  return out.str();
}

json DeviceTable::to_json() const {
  json arr = json::array();
  for (const DeviceRecord& d : snapshot())
    arr.push_back({{"device", d.id}, {"identity", d.identity}, {"health", d.health}, {"ota", d.ota}});
  return arr;
}

}  // namespace kiln::fleet
