// A bounded queue of outgoing messages in a caller-provided byte buffer.
// When a new message does not fit, the oldest ones are dropped (and counted)
// until it does: the newest state always wins, nothing ever blocks.
#pragma once
#include <stdint.h>

namespace kiln::telemetry {

class OfflineQueue {
 public:
  // Record: [u16 length][u8 topic][u8 retain] + payload, stored contiguously
  // with wrap-around in `storage`.
  static constexpr uint32_t kRecordHeader = 4;
  OfflineQueue(uint8_t* storage, uint32_t capacity) : buf_(storage), cap_(capacity) {}

  // False (and counted as dropped) only if the message can never fit.
  bool push(uint8_t topic, bool retain, const uint8_t* payload, uint32_t len);
  // The oldest message, copied into out (cap bytes); false if empty.
  bool peek(uint8_t* topic, bool* retain, uint8_t* out, uint32_t cap, uint32_t* len) const;
  void pop();

  uint32_t count() const { return count_; }
  uint32_t bytes_used() const { return used_; }
  uint32_t dropped() const { return dropped_; }

 private:
  uint8_t at(uint32_t i) const { return buf_[(head_ + i) % cap_]; }
  uint32_t front_size() const;

  uint8_t* buf_;
  uint32_t cap_;
  uint32_t head_ = 0;  // first byte of the oldest record
  uint32_t used_ = 0;
  uint32_t count_ = 0;
  uint32_t dropped_ = 0;
};

}  // namespace kiln::telemetry
