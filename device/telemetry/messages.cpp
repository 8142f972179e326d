#include "kiln/telemetry/messages.h"

#include "kiln/telemetry/json_writer.h"
#include "kiln/telemetry/schema.h"

namespace kiln::telemetry {
namespace {

void version(JsonWriter& w, const char* key, const Version& v) {
  w.begin_object(key);
  w.key_uint("major", v.major);
  w.key_uint("minor", v.minor);
  w.key_uint("revision", v.revision);
  w.key_uint("build", v.build);
  w.end_object();
}

uint32_t done(JsonWriter& w) {
  w.end_object();
  return w.ok() ? w.size() : 0;
}

}  // namespace

const char* ota_state_name(OtaState s) {
  switch (s) {
    case OtaState::kIdle: return "idle";
    case OtaState::kReceiving: return "receiving";
    case OtaState::kStaged: return "staged";
    case OtaState::kTrial: return "trial";
    case OtaState::kConfirmed: return "confirmed";
    case OtaState::kReverted: return "reverted";
    case OtaState::kRejected: return "rejected";
  }
  return "unknown";
}

uint32_t encode_identity(const Identity& id, char* out, uint32_t cap) {
  JsonWriter w(out, cap);
  w.begin_object();
  w.key_uint("v", kSchemaVersion);
  w.key_string("device", id.device);
  w.key_string("board", id.board);
  version(w, "firmware", id.firmware);
  version(w, "model", id.model);
  w.key_hex("model_sha256", id.model_hash, 32);
  w.key_uint("runtime_abi", id.runtime_abi);
  w.key_uint("pair_sequence", id.pair_sequence);
  w.key_uint("slot", id.slot);
  w.key_bool("trial", id.trial);
  return done(w);
}

uint32_t encode_health(const Health& h, char* out, uint32_t cap) {
  JsonWriter w(out, cap);
  w.begin_object();
  w.key_uint("v", kSchemaVersion);
  w.key_uint("uptime_s", h.uptime_s);
  w.key_uint("arena_used", h.arena_used);
  w.key_uint("arena_size", h.arena_size);
  w.key_uint("stack_hwm", h.stack_hwm);
  w.key_uint("stack_size", h.stack_size);
  w.key_uint("inferences", h.inferences);
  w.key_uint("latency_p50_us", h.latency_p50_us);
  w.key_uint("latency_p99_us", h.latency_p99_us);
  w.key_uint("budget_timeouts", h.budget_timeouts);
  w.key_uint("boots", h.boots);
  w.key_uint("reverts", h.reverts);
  w.key_uint("queue_dropped", h.queue_dropped);
  w.key_uint("samples_dropped", h.samples_dropped);
  w.key_uint("rejected_commands", h.rejected_commands);
  w.key_bool("ok", h.ok);
  return done(w);
}

uint32_t encode_event(const InferenceEvent& e, char* out, uint32_t cap) {
  JsonWriter w(out, cap);
  w.begin_object();
  w.key_uint("v", kSchemaVersion);
  w.key_uint("seq", e.seq);
  w.key_uint("t_ms", e.t_ms);
  w.key_uint("latency_us", e.latency_us);
  w.key_bool("budget_exceeded", e.budget_exceeded);
  w.key_int("class", e.top_class);
  w.key_uint("score_pm", e.score_pm);
  w.key_int("input_mean_milli", e.input_mean_milli);
  w.key_uint("input_std_milli", e.input_std_milli);
  return done(w);
}

uint32_t encode_ota_status(const OtaStatus& s, char* out, uint32_t cap) {
  JsonWriter w(out, cap);
  w.begin_object();
  w.key_uint("v", kSchemaVersion);
  w.key_string("state", ota_state_name(s.state));
  w.key_uint("transfer", s.transfer);
  w.key_uint("offset", s.offset);
  w.key_uint("total", s.total);
  w.key_uint("running_sequence", s.running_sequence);
  w.key_string("error", s.error);
  return done(w);
}

}  // namespace kiln::telemetry
