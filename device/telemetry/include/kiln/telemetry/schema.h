// The telemetry wire schema, version 1 (docs/fleet.md): JSON objects on MQTT
// topics under kiln/v1/<device-id>/. Every message carries "v": 1; a reader
// rejects other versions. Sizes are bounded so a device can encode and parse
// with fixed buffers.
#pragma once
#include <stdint.h>

namespace kiln::telemetry {

constexpr uint32_t kSchemaVersion = 1;
constexpr const char* kTopicRoot = "kiln/v1/";

// Topic suffixes after kiln/v1/<device-id>/.
constexpr const char* kTopicIdentity = "identity";  // retained: versions
constexpr const char* kTopicHealth = "health";      // retained: periodic health
constexpr const char* kTopicEvent = "event";        // inference events (rate-limited)
constexpr const char* kTopicOta = "ota";            // retained: update progress
constexpr const char* kTopicCmd = "cmd";            // device subscribes: commands (JSON)
constexpr const char* kTopicChunk = "chunk";        // device subscribes: bundle chunks (binary)

constexpr uint32_t kMaxDeviceId = 32;       // [A-Za-z0-9_-], 1..32 chars
constexpr uint32_t kMaxTopic = 64;          // kiln/v1/ + id + / + suffix
constexpr uint32_t kMaxMessage = 512;       // largest JSON message a device sends
constexpr uint32_t kMaxCommand = 256;       // larger command payloads are rejected
constexpr uint32_t kMaxChunkData = 1024;    // bundle bytes per chunk message
constexpr uint32_t kChunkHeader = 16;       // magic, transfer, offset, total (LE u32)
constexpr uint32_t kChunkMagic = 0x3148434bu;  // "KCH1"

// True for a valid device id.
bool valid_device_id(const char* id);
// Writes kiln/v1/<id>/<suffix> into out (kMaxTopic bytes); false if too long.
bool make_topic(const char* id, const char* suffix, char* out, uint32_t cap);

}  // namespace kiln::telemetry
