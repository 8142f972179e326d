// A simulated device for the fleet tests: its own thread, MQTT client (the
// device's POSIX transport port), telemetry agent, OTA receiver and update
// agent on a simulated NOR flash with A/B pair slots. After staging it
// reboots into the new pair on trial, runs its health check (programmable to
// fail) and confirms, or reboots until the boot loader reverts.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "../../device/boot/test/boot_fixture.h"
#include "kiln/telemetry/agent.h"
#include "mosquitto_port.h"

namespace kiln::fleet::testing {

class SimDevice {
 public:
  SimDevice(std::string id, const image::Ed25519Key& key, const std::vector<uint8_t>& factory_bundle,
            bool fail_health, uint32_t events_per_min = 60);
  ~SimDevice();

  void start(int broker_port);
  void stop();

  // Read from the test thread once the device has settled.
  uint32_t running_sequence() const { return running_sequence_; }
  uint32_t reverts() const { return reverts_; }
  uint32_t rejected() const { return rejected_; }
  uint32_t connects() const { return connects_; }
  uint32_t inferences_per_second = 20;  // simulated inference rate (set before start)
  uint32_t health_period_s = 1;

 private:
  void run(int port);
  void reboot_after_staging();
  telemetry::Identity identity() const;
  static void fill_health(void* self, telemetry::Health* h);

  std::string id_;
  bool fail_health_;
  uint32_t events_per_min_;
  boot::testing::Device dev_;
  boot::BootDecision running_{};
  uint8_t queue_[4096] = {};
  std::unique_ptr<telemetry::OtaReceiver> ota_;
  std::unique_ptr<telemetry::Agent> agent_;
  telemetry::MosquittoPort port_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint32_t> running_sequence_{0}, reverts_{0}, rejected_{0}, connects_{0};
  uint32_t boots_ = 1;
  bool healthy_ = true;
};

}  // namespace kiln::fleet::testing
