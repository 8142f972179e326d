// Encoders for the device's messages (schema v1, docs/fleet.md). Each writes
// one JSON object into a caller buffer and returns its length, or 0 if the
// buffer is too small (nothing partial is ever published).
#pragma once
#include <stdint.h>

namespace kiln::telemetry {

struct Version {
  uint8_t major = 0, minor = 0;
  uint16_t revision = 0;
  uint32_t build = 0;
};

struct Identity {
  const char* device = "";
  const char* board = "";
  Version firmware;
  Version model;
  uint8_t model_hash[32] = {};  // SHA-256 of the model image (from its TLV)
  uint32_t runtime_abi = 0;
  uint32_t pair_sequence = 0;   // the running pair's manifest sequence
  uint32_t slot = 0;
  bool trial = false;           // running pair not confirmed yet
};

struct Health {
  uint64_t uptime_s = 0;
  uint32_t arena_used = 0, arena_size = 0;   // bytes: high-water mark / capacity
  uint32_t stack_hwm = 0, stack_size = 0;    // bytes of the inference stack
  uint64_t inferences = 0;
  uint32_t latency_p50_us = 0, latency_p99_us = 0;  // over the last window
  uint32_t budget_timeouts = 0;
  uint32_t boots = 0, reverts = 0;
  uint32_t queue_dropped = 0;      // offline queue: oldest messages dropped
  uint32_t samples_dropped = 0;    // inference samples the mailbox had no room for
  uint32_t rejected_commands = 0;  // malformed, oversized or unknown commands/chunks
  bool ok = true;                  // the application's own health verdict
};

struct InferenceEvent {
  uint64_t seq = 0;
  uint64_t t_ms = 0;
  uint32_t latency_us = 0;
  bool budget_exceeded = false;
  int32_t top_class = -1;
  uint32_t score_pm = 0;        // top score, per mille
  int32_t input_mean_milli = 0; // input statistics, for drift
  uint32_t input_std_milli = 0;
};

enum class OtaState : uint8_t { kIdle, kReceiving, kStaged, kTrial, kConfirmed, kReverted, kRejected };
const char* ota_state_name(OtaState s);

struct OtaStatus {
  OtaState state = OtaState::kIdle;
  uint32_t transfer = 0;
  uint32_t offset = 0;   // next bundle byte the device wants
  uint32_t total = 0;
  uint32_t running_sequence = 0;
  const char* error = "";
};

uint32_t encode_identity(const Identity& id, char* out, uint32_t cap);
uint32_t encode_health(const Health& h, char* out, uint32_t cap);
uint32_t encode_event(const InferenceEvent& e, char* out, uint32_t cap);
uint32_t encode_ota_status(const OtaStatus& s, char* out, uint32_t cap);

}  // namespace kiln::telemetry
