#include "kiln/telemetry/offline_queue.h"

namespace kiln::telemetry {

uint32_t OfflineQueue::front_size() const {
  return kRecordHeader + (static_cast<uint32_t>(at(0)) | (static_cast<uint32_t>(at(1)) << 8));
}

bool OfflineQueue::push(uint8_t topic, bool retain, const uint8_t* payload, uint32_t len) {
  const uint32_t need = kRecordHeader + len;
  if (len > 0xffff || need > cap_ || (payload == nullptr && len != 0)) {
    ++dropped_;
    return false;
  }
  while (cap_ - used_ < need) {  // oldest first
    pop();
    ++dropped_;
  }
  const uint8_t header[kRecordHeader] = {static_cast<uint8_t>(len & 0xff), static_cast<uint8_t>(len >> 8), topic,
                                         static_cast<uint8_t>(retain ? 1 : 0)};
  uint32_t tail = (head_ + used_) % cap_;
  for (uint32_t i = 0; i < kRecordHeader; ++i, tail = (tail + 1) % cap_) buf_[tail] = header[i];
  for (uint32_t i = 0; i < len; ++i, tail = (tail + 1) % cap_) buf_[tail] = payload[i];
  used_ += need;
  ++count_;
  return true;
}

bool OfflineQueue::peek(uint8_t* topic, bool* retain, uint8_t* out, uint32_t cap, uint32_t* len) const {
  if (count_ == 0) return false;
  const uint32_t n = front_size() - kRecordHeader;
  if (n > cap) return false;
  *topic = at(2);
  *retain = at(3) != 0;
  for (uint32_t i = 0; i < n; ++i) out[i] = at(kRecordHeader + i);
  *len = n;
  return true;
}

void OfflineQueue::pop() {
  if (count_ == 0) return;
  const uint32_t n = front_size();
  head_ = (head_ + n) % cap_;
  used_ -= n;
  --count_;
}

}  // namespace kiln::telemetry
