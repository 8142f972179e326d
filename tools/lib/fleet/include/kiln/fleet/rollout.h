// A staged rollout of one bundle to a set of devices over MQTT: waves of
// cumulative percentages (1, 10, 100), each device pulled through a chunked,
// resumable transfer (the device's OTA receiver asks for the next offset in
// its retained "ota" status), then a health gate: every device of the wave
// must confirm the new pair and report healthy before the next wave starts.
// The state (per-device results, wave reached) is saved to a JSON file after
// every change, so a rollout stopped for any reason resumes where it was.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kiln/fleet/mqtt_client.h"

namespace kiln::fleet {

struct RolloutOptions {
  std::vector<uint8_t> bundle;
  std::vector<std::string> devices;
  std::vector<double> waves{1, 10, 100};  // cumulative percent of devices
  uint32_t chunk_bytes = 1024;
  double wave_timeout_s = 120;    // a device that has not confirmed by then fails the gate
  double retry_after_s = 2;       // resend a request or chunk when a device makes no progress
  uint32_t max_p99_us = 0;        // health gate on latency (0: only the device's own verdict)
  std::string state_file;         // empty: not persisted
  std::function<void(const std::string&)> progress;  // one line per event
};

struct DeviceOutcome {
  std::string device;
  int wave = 0;                 // 1-based
  std::string result = "pending";  // pending, confirmed, failed, not-started
  std::string detail;
  uint32_t running_sequence = 0;
};

struct RolloutResult {
  bool completed = false;       // every wave passed its gate
  int stopped_at_wave = 0;      // 1-based wave whose gate failed (0: none)
  std::string reason;
  uint32_t transfer = 0;
  std::vector<DeviceOutcome> devices;
  uint64_t chunks_sent = 0;
  double seconds = 0;
  nlohmann::json to_json() const;
  std::string render_text() const;
};

// Device counts per wave for n devices: ceil(p/100 * n), at least one, strictly growing.
std::vector<size_t> wave_sizes(const std::vector<double>& percents, size_t n);
// "1,10,100" -> {1, 10, 100}; throws ToolError on anything else.
std::vector<double> parse_waves(const std::string& text);
// Transfer id of a bundle: from its SHA-256, never 0.
uint32_t transfer_id(const std::vector<uint8_t>& bundle);

RolloutResult run_rollout(const BrokerAddress& broker, const RolloutOptions& options);

}  // namespace kiln::fleet
