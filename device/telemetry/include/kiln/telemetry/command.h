// Commands a device accepts on kiln/v1/<id>/cmd: one flat JSON object,
//   {"v":1,"cmd":"set_rate","events_per_min":N,"health_period_s":N}
//   {"v":1,"cmd":"reboot"}
//   {"v":1,"cmd":"request_bundle","transfer":T,"size":N}
// Anything else (not JSON, nested values, unknown or duplicate keys, wrong
// types, out-of-range numbers, larger than kMaxCommand) is rejected with a
// message; the agent counts rejections.
#pragma once
#include <stdint.h>

#include "kiln/common/status.h"

namespace kiln::telemetry {

enum class CommandKind : uint8_t { kSetRate, kReboot, kRequestBundle };

struct Command {
  CommandKind kind = CommandKind::kReboot;
  // kSetRate: 0 keeps the current value.
  uint32_t events_per_min = 0;
  uint32_t health_period_s = 0;
  // kRequestBundle: the host's transfer id and the bundle's size in bytes.
  uint32_t transfer = 0;
  uint32_t size = 0;
};

constexpr uint32_t kMaxEventsPerMin = 60000;
constexpr uint32_t kMaxHealthPeriodS = 86400;
constexpr uint32_t kMaxBundleBytes = 64u * 1024u * 1024u;

Status parse_command(const uint8_t* payload, uint32_t len, Command* out, Diag* diag);

}  // namespace kiln::telemetry
