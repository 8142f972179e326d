#include "sim_device.h"

#include <chrono>

#include "kiln/ota/update_agent.h"
#include "kiln/osal/osal.h"

namespace kiln::fleet::testing {

SimDevice::SimDevice(std::string id, const image::Ed25519Key& key, const std::vector<uint8_t>& factory_bundle,
                     bool fail_health, uint32_t events_per_min)
    : id_(std::move(id)), fail_health_(fail_health), events_per_min_(events_per_min), dev_(key) {
  dev_.provision(factory_bundle, 0, true);
  Diag d;
  if (boot::boot_select(dev_.cfg, &running_, &d) != Status::kOk) ADD_FAILURE() << id_ << ": " << d.message();
  running_sequence_ = running_.pair.manifest.sequence;
}

SimDevice::~SimDevice() { stop(); }

void SimDevice::start(int broker_port) {
  stop_ = false;
  thread_ = std::thread([this, broker_port] { run(broker_port); });
}

void SimDevice::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

telemetry::Identity SimDevice::identity() const {
  telemetry::Identity id;
  id.device = id_.c_str();
  id.board = "sim-rv32";
  const boot::Manifest& m = running_.pair.manifest;
  id.firmware = {m.firmware_version.major, m.firmware_version.minor, m.firmware_version.revision, m.firmware_version.build};
  id.model = {m.model_version.major, m.model_version.minor, m.model_version.revision, m.model_version.build};
  std::memcpy(id.model_hash, m.model_digest, 32);
  id.runtime_abi = 1;
  id.pair_sequence = m.sequence;
  id.slot = running_.slot;
  id.trial = running_.mode == boot::BootMode::kTrial;
  return id;
}

void SimDevice::fill_health(void* self, telemetry::Health* h) {
  auto* s = static_cast<SimDevice*>(self);
  h->arena_used = 21140;
  h->arena_size = 24576;
  h->stack_hwm = 1536;
  h->stack_size = 4096;
  h->boots = s->boots_;
  h->reverts = s->reverts_;
  h->ok = s->healthy_;
}

void SimDevice::reboot_after_staging() {
  Diag d;
  const uint32_t old_seq = running_.pair.manifest.sequence;
  ++boots_;
  if (boot::boot_select(dev_.cfg, &running_, &d) != Status::kOk) {
    ADD_FAILURE() << id_ << ": boot after staging: " << d.message();
    return;
  }
  ota_->set_state(telemetry::OtaState::kTrial);
  agent_->publish_identity(identity());
  // The application's post-update health check.
  bool confirmed = false;
  const ota::HealthCheck check = [](const boot::BootDecision&, void* ctx) { return !*static_cast<bool*>(ctx); };
  if (ota::confirm_if_healthy(dev_.cfg, running_, check, &fail_health_, &confirmed, &d) != Status::kOk)
    ADD_FAILURE() << id_ << ": confirm: " << d.message();
  if (confirmed) {
    ++boots_;
    (void)boot::boot_select(dev_.cfg, &running_, &d);
    ota_->set_state(telemetry::OtaState::kConfirmed);
  } else {
    // Unhealthy: every boot consumes a trial attempt until the boot loader reverts.
    for (uint32_t i = 0; i <= boot::testing::kTestAttempts + 1 && running_.pair.manifest.sequence != old_seq; ++i) {
      ++boots_;
      (void)boot::boot_select(dev_.cfg, &running_, &d);
    }
    if (running_.pair.manifest.sequence == old_seq) ++reverts_;
    ota_->set_state(telemetry::OtaState::kReverted);
  }
  running_sequence_ = running_.pair.manifest.sequence;
  agent_->publish_identity(identity());
  agent_->report_health_soon();
}

void SimDevice::run(int port) {
  ota_ = std::make_unique<telemetry::OtaReceiver>(dev_.cfg, running_);
  telemetry::AgentConfig cfg;
  cfg.device_id = id_.c_str();
  cfg.queue_storage = queue_;
  cfg.queue_bytes = sizeof(queue_);
  cfg.events_per_min = events_per_min_;
  cfg.health_period_s = health_period_s;
  telemetry::AgentHooks hooks;
  hooks.fill_health = &SimDevice::fill_health;
  hooks.user = this;
  agent_ = std::make_unique<telemetry::Agent>(cfg, port_.port(), hooks, ota_.get());
  Diag d;
  if (agent_->init(&d) != Status::kOk) {
    ADD_FAILURE() << d.message();
    return;
  }
  port_.attach(agent_.get());
  if (port_.open(id_.c_str(), "127.0.0.1", port, &d) != Status::kOk) {
    ADD_FAILURE() << d.message();
    return;
  }
  uint64_t next_inference = osal::now_us();
  uint32_t n = 0;
  while (!stop_) {
    const uint64_t now = osal::now_us();
    port_.service(20, now);
    if (port_.take_reconnected()) {  // a new session: republish our state
      agent_->publish_identity(identity());
      agent_->report_health_soon();
      ota_->touch();
    }
    if (inferences_per_second != 0 && now >= next_inference) {
      next_inference = now + 1000000ull / inferences_per_second;
      telemetry::InferenceSample s;
      s.latency_us = 40000 + (n * 7919) % 3000;  // ~40 ms, person_detect-like
      s.top_class = static_cast<int32_t>(n % 2);
      s.score_pm = 800 + n % 150;
      agent_->record_inference(s);
      ++n;
    }
    agent_->poll(now);
    if (ota_->staged()) reboot_after_staging();
    rejected_ = agent_->rejected();
    connects_ = port_.connects();
  }
  port_.close();
}

}  // namespace kiln::fleet::testing
