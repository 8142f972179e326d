// Receives a bundle over MQTT in chunks and stages it with the OTA update
// agent (device/ota): "request_bundle" starts a transfer, binary chunk
// messages carry {magic, transfer, offset, total} + bytes. Chunks at any other
// offset than the one the device wants are ignored (the status it publishes
// tells the sender where to resume), so transfers survive lost or repeated
// messages, broker restarts and sender restarts.
#pragma once
#include <stdint.h>

#include "kiln/ota/update_agent.h"
#include "kiln/telemetry/messages.h"

namespace kiln::telemetry {

class OtaReceiver {
 public:
  OtaReceiver(const boot::BootConfig& cfg, const boot::BootDecision& running) : agent_(cfg, running), running_(running) {}

  // A new transfer (same id and size as the current one: keep going).
  void begin(uint32_t transfer, uint32_t size);
  // One chunk message. Malformed chunks fail (the agent counts them); a
  // chunk for another transfer or offset is ignored with kOk.
  Status on_chunk(const uint8_t* payload, uint32_t len, Diag* diag);
  // The application booted again after staging: trial, confirmed or reverted.
  void set_state(OtaState s) {
    status_.state = s;
    changed_ = true;
  }
  // Publish the status again (e.g. after a reconnection).
  void touch() { changed_ = true; }

  // Current progress; `changed` says a new status should be published.
  const OtaStatus& status() {
    status_.running_sequence = running_.pair.manifest.sequence;
    status_.error = error_.message();
    return status_;
  }
  bool take_changed() {
    const bool c = changed_;
    changed_ = false;
    return c;
  }
  bool staged() const { return status_.state == OtaState::kStaged; }

 private:
  void fail(Diag* diag);

  ota::UpdateAgent agent_;
  const boot::BootDecision& running_;
  OtaStatus status_;
  Diag error_;
  uint8_t header_[ota::kBundleHeaderSize] = {};
  uint32_t header_fill_ = 0;
  bool changed_ = true;
};

}  // namespace kiln::telemetry
