// The narrow port between the telemetry agent and the platform's MQTT client
// (libmosquitto on POSIX, Zephyr's MQTT library, coreMQTT on FreeRTOS).
// The port subscribes to kiln/v1/<id>/cmd and kiln/v1/<id>/chunk when it
// connects and hands what arrives to Agent::on_message on the agent's thread.
#pragma once
#include <stdint.h>

namespace kiln::telemetry {

struct TransportPort {
  // Queues one message for sending; false when not connected or the client
  // refused it (the agent keeps it and retries later). Must not block long.
  bool (*publish)(void* self, const char* topic, const uint8_t* payload, uint32_t len, bool retain) = nullptr;
  bool (*connected)(void* self) = nullptr;
  void* self = nullptr;
};

}  // namespace kiln::telemetry
