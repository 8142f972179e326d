#include "kiln/telemetry/agent.h"

#include <string.h>

namespace kiln::telemetry {

Status Agent::init(Diag* diag) {
  if (!valid_device_id(cfg_.device_id))
    return diag->fail(Status::kInvalidArgument, "telemetry: device id must be 1..%lu of [A-Za-z0-9_-]",
                      static_cast<unsigned long>(kMaxDeviceId));
  if (cfg_.queue_storage == nullptr || cfg_.queue_bytes < kMaxMessage + OfflineQueue::kRecordHeader)
    return diag->fail(Status::kInvalidArgument, "telemetry: the offline queue needs at least %lu bytes",
                      static_cast<unsigned long>(kMaxMessage + OfflineQueue::kRecordHeader));
  if (port_.publish == nullptr || port_.connected == nullptr)
    return diag->fail(Status::kInvalidArgument, "telemetry: transport port without publish/connected");
  if (cfg_.events_per_min > kMaxEventsPerMin) cfg_.events_per_min = kMaxEventsPerMin;
  static const char* const kSuffix[kTopicCount] = {kTopicIdentity, kTopicHealth, kTopicEvent, kTopicOta};
  for (uint32_t t = 0; t < kTopicCount; ++t) (void)make_topic(cfg_.device_id, kSuffix[t], topics_[t], kMaxTopic);
  (void)make_topic(cfg_.device_id, kTopicCmd, cmd_topic_, kMaxTopic);
  (void)make_topic(cfg_.device_id, kTopicChunk, chunk_topic_, kMaxTopic);
  return Status::kOk;
}

void Agent::record_inference(const InferenceSample& s) {
  const uint32_t tail = __atomic_load_n(&tail_, __ATOMIC_RELAXED);
  const uint32_t head = __atomic_load_n(&head_, __ATOMIC_ACQUIRE);
  if (tail - head >= kMailbox) {  // full: drop, never wait
    __atomic_store_n(&samples_dropped_, samples_dropped_ + 1, __ATOMIC_RELAXED);
    return;
  }
  slots_[tail % kMailbox] = s;
  __atomic_store_n(&tail_, tail + 1, __ATOMIC_RELEASE);
}

void Agent::enqueue(Topic t, const char* json, uint32_t len) {
  if (len == 0) return;  // encoder overflow: never send a partial message
  (void)queue_.push(static_cast<uint8_t>(t), t != kEvent, reinterpret_cast<const uint8_t*>(json), len);
}

void Agent::publish_identity(const Identity& id) {
  enqueue(kIdentity, scratch_, encode_identity(id, scratch_, sizeof(scratch_)));
  flush();
}

Health Agent::health(uint64_t now_us) {
  Health h;
  if (hooks_.fill_health != nullptr) hooks_.fill_health(hooks_.user, &h);
  h.uptime_s = (now_us - start_us_) / 1000000u;
  h.inferences = inferences_;
  h.latency_p50_us = latency_.percentile(50);
  h.latency_p99_us = latency_.percentile(99);
  h.budget_timeouts = budget_timeouts_;
  h.queue_dropped = queue_.dropped();
  h.samples_dropped = __atomic_load_n(&samples_dropped_, __ATOMIC_RELAXED);
  h.rejected_commands = rejected_;
  return h;
}

void Agent::poll(uint64_t now_us) {
  if (!started_) {
    started_ = true;
    start_us_ = now_us;
    next_event_us_ = now_us;
    next_health_us_ = now_us;
  }
  // Drain the mailbox: statistics for every sample, events at the set rate.
  const uint32_t tail = __atomic_load_n(&tail_, __ATOMIC_ACQUIRE);
  uint32_t head = head_;
  for (; head != tail; ++head) {
    const InferenceSample s = slots_[head % kMailbox];
    ++inferences_;
    latency_.add(s.latency_us);
    if (s.budget_exceeded) ++budget_timeouts_;
    if (cfg_.events_per_min != 0 && now_us >= next_event_us_) {
      next_event_us_ = now_us + 60000000ull / cfg_.events_per_min;
      InferenceEvent e;
      e.seq = ++event_seq_;
      e.t_ms = (now_us - start_us_) / 1000u;
      e.latency_us = s.latency_us;
      e.budget_exceeded = s.budget_exceeded;
      e.top_class = s.top_class;
      e.score_pm = s.score_pm;
      e.input_mean_milli = s.input_mean_milli;
      e.input_std_milli = s.input_std_milli;
      enqueue(kEvent, scratch_, encode_event(e, scratch_, sizeof(scratch_)));
    }
  }
  __atomic_store_n(&head_, head, __ATOMIC_RELEASE);

  if (now_us >= next_health_us_) {
    next_health_us_ = now_us + static_cast<uint64_t>(cfg_.health_period_s) * 1000000u;
    const Health h = health(now_us);
    enqueue(kHealth, scratch_, encode_health(h, scratch_, sizeof(scratch_)));
  }
  if (ota_ != nullptr && ota_->take_changed())
    enqueue(kOta, scratch_, encode_ota_status(ota_->status(), scratch_, sizeof(scratch_)));
  flush();
}

void Agent::flush() {
  uint8_t topic_index = 0;
  bool retain = false;
  uint32_t len = 0;
  while (port_.connected(port_.self) &&
         queue_.peek(&topic_index, &retain, reinterpret_cast<uint8_t*>(scratch_), sizeof(scratch_), &len)) {
    if (topic_index >= kTopicCount) {  // cannot happen: only enqueue() writes
      queue_.pop();
      continue;
    }
    if (!port_.publish(port_.self, topics_[topic_index], reinterpret_cast<const uint8_t*>(scratch_), len, retain))
      return;  // keep it: retried on the next poll
    queue_.pop();
  }
}

void Agent::reject(const Diag& d) {
  ++rejected_;
  (void)last_reject_.fail(d.status(), "%s", d.message());
}

void Agent::handle_command(const uint8_t* payload, uint32_t len) {
  Command c;
  Diag d;
  if (parse_command(payload, len, &c, &d) != Status::kOk) {
    reject(d);
    return;
  }
  switch (c.kind) {
    case CommandKind::kSetRate:
      if (c.events_per_min != 0) cfg_.events_per_min = c.events_per_min;
      if (c.health_period_s != 0) {
        cfg_.health_period_s = c.health_period_s;
        next_health_us_ = 0;  // report at once with the new period
      }
      break;
    case CommandKind::kReboot:
      if (hooks_.reboot != nullptr) hooks_.reboot(hooks_.user);
      break;
    case CommandKind::kRequestBundle:
      if (ota_ == nullptr) {
        (void)d.fail(Status::kUnsupported, "command: this device takes no bundles");
        reject(d);
        return;
      }
      ota_->begin(c.transfer, c.size);
      break;
  }
}

void Agent::on_message(const char* topic, const uint8_t* payload, uint32_t len) {
  if (topic == nullptr) return;
  if (strcmp(topic, cmd_topic_) == 0) {
    handle_command(payload, len);
  } else if (strcmp(topic, chunk_topic_) == 0) {
    Diag d;
    if (ota_ == nullptr) {
      (void)d.fail(Status::kUnsupported, "chunk: this device takes no bundles");
      reject(d);
    } else if (ota_->on_chunk(payload, len, &d) != Status::kOk) {
      reject(d);
    }
  } else {
    Diag d;
    (void)d.fail(Status::kInvalidArgument, "message on an unexpected topic");
    reject(d);
  }
}

}  // namespace kiln::telemetry
