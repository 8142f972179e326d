// The device's telemetry agent. Two threads touch it:
//  - the inference thread calls record_inference(), which only writes one
//    slot of a lock-free single-producer mailbox and never blocks (a full
//    mailbox drops the sample and counts it);
//  - the agent's own (comms) thread calls poll() and on_message(): it drains
//    the mailbox, publishes health and rate-limited events through the
//    bounded offline queue, and parses commands and bundle chunks.
#pragma once
#include <stdint.h>

#include "kiln/common/status.h"
#include "kiln/telemetry/command.h"
#include "kiln/telemetry/latency_window.h"
#include "kiln/telemetry/messages.h"
#include "kiln/telemetry/offline_queue.h"
#include "kiln/telemetry/ota_receiver.h"
#include "kiln/telemetry/schema.h"
#include "kiln/telemetry/transport.h"

namespace kiln::telemetry {

struct InferenceSample {
  uint32_t latency_us = 0;
  bool budget_exceeded = false;
  int32_t top_class = -1;
  uint32_t score_pm = 0;
  int32_t input_mean_milli = 0;
  uint32_t input_std_milli = 0;
};

struct AgentConfig {
  const char* device_id = "";
  uint8_t* queue_storage = nullptr;  // offline queue bytes (e.g. 4 KB)
  uint32_t queue_bytes = 0;
  uint32_t events_per_min = 60;      // 0: no inference events
  uint32_t health_period_s = 10;
};

// The application's side: what only it knows, and what only it can do.
struct AgentHooks {
  void (*fill_health)(void* user, Health* h) = nullptr;  // arena/stack marks, boots, reverts, ok
  void (*reboot)(void* user) = nullptr;
  void* user = nullptr;
};

enum Topic : uint8_t { kIdentity = 0, kHealth, kEvent, kOta, kTopicCount };

class Agent {
 public:
  static constexpr uint32_t kMailbox = 32;

  Agent(const AgentConfig& cfg, const TransportPort& port, const AgentHooks& hooks, OtaReceiver* ota = nullptr)
      : cfg_(cfg), port_(port), hooks_(hooks), ota_(ota), queue_(cfg.queue_storage, cfg.queue_bytes) {}
  Status init(Diag* diag);

  // Inference thread only.
  void record_inference(const InferenceSample& s);

  // Agent thread only.
  void publish_identity(const Identity& id);
  void poll(uint64_t now_us);
  void on_message(const char* topic, const uint8_t* payload, uint32_t len);
  // Topics the port must subscribe to.
  const char* command_topic() const { return cmd_topic_; }
  const char* chunk_topic() const { return chunk_topic_; }
  const char* topic(Topic t) const { return topics_[t]; }

  uint32_t rejected() const { return rejected_; }
  const char* last_rejection() const { return last_reject_.message(); }
  uint32_t events_per_min() const { return cfg_.events_per_min; }
  uint32_t health_period_s() const { return cfg_.health_period_s; }
  uint64_t inferences() const { return inferences_; }
  const OfflineQueue& queue() const { return queue_; }
  Health health(uint64_t now_us);
  // Publish health on the next poll (after an update, a reconnection).
  void report_health_soon() { next_health_us_ = 0; }

 private:
  void enqueue(Topic t, const char* json, uint32_t len);
  void flush();
  void reject(const Diag& d);
  void handle_command(const uint8_t* payload, uint32_t len);

  AgentConfig cfg_;
  TransportPort port_;
  AgentHooks hooks_;
  OtaReceiver* ota_;
  OfflineQueue queue_;
  char topics_[kTopicCount][kMaxTopic] = {};
  char cmd_topic_[kMaxTopic] = {};
  char chunk_topic_[kMaxTopic] = {};

  // Mailbox: the producer writes slots_[tail], then publishes tail; the
  // consumer reads slots_[head], then publishes head.
  InferenceSample slots_[kMailbox];
  uint32_t head_ = 0, tail_ = 0;
  uint32_t samples_dropped_ = 0;  // written by the producer only

  LatencyWindow latency_;
  uint64_t inferences_ = 0;
  uint64_t event_seq_ = 0;
  uint32_t budget_timeouts_ = 0;
  uint32_t rejected_ = 0;
  Diag last_reject_;
  uint64_t start_us_ = 0, next_event_us_ = 0, next_health_us_ = 0;
  bool started_ = false;
  char scratch_[kMaxMessage] = {};
};

}  // namespace kiln::telemetry
