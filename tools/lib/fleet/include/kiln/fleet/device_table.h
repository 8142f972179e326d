// What the host knows about each device, built from the retained messages
// under kiln/v1/+/{identity,health,ota} (schema v1). Malformed messages are
// counted, never fatal. Thread-safe: the MQTT thread updates, others read.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kiln::fleet {

struct DeviceRecord {
  std::string id;
  nlohmann::json identity, health, ota;  // latest of each (null until seen)
  uint64_t messages = 0;
};

class DeviceTable {
 public:
  // Feeds one MQTT message; ignores topics outside kiln/v1/<id>/...
  void update(const std::string& topic, const std::string& payload);
  std::vector<DeviceRecord> snapshot() const;
  bool get(const std::string& id, DeviceRecord* out) const;
  size_t size() const;
  uint64_t malformed() const;

  // "2.0.0+0" from a schema version object; "-" when absent.
  static std::string version_text(const nlohmann::json& v);
  std::string render_text() const;
  nlohmann::json to_json() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, DeviceRecord> devices_;
  uint64_t malformed_ = 0;
};

}  // namespace kiln::fleet
