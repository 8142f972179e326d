#include "kiln/protocol/protocol.h"

#include <string.h>

namespace kiln::protocol {

uint32_t crc32_update(uint32_t crc, const uint8_t* data, size_t size) {
  // Bitwise: 8 steps per byte, no 1 KB table in the firmware's RAM or flash.
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

bool Reader::u8(uint8_t* v) {
  if (remaining() < 1) return false;
  *v = data[pos++];
  return true;
}
bool Reader::u16(uint16_t* v) {
  if (remaining() < 2) return false;
  *v = static_cast<uint16_t>(data[pos] | (data[pos + 1] << 8));
  pos += 2;
  return true;
}
bool Reader::u32(uint32_t* v) {
  if (remaining() < 4) return false;
  uint32_t r = 0;
  for (int i = 3; i >= 0; --i) r = (r << 8) | data[pos + static_cast<size_t>(i)];
  *v = r;
  pos += 4;
  return true;
}
bool Reader::u64(uint64_t* v) {
  uint32_t lo = 0, hi = 0;
  if (remaining() < 8) return false;
  if (!u32(&lo) || !u32(&hi)) return false;
  *v = (static_cast<uint64_t>(hi) << 32) | lo;
  return true;
}

size_t encode_frame(uint8_t type, uint16_t seq, const uint8_t* payload, size_t size, uint8_t* out,
                    size_t capacity) {
  if (size > kMaxPayload || capacity < kHeaderBytes + size + kCrcBytes) return 0;
  out[0] = kSync0;
  out[1] = kSync1;
  out[2] = kVersion;
  out[3] = type;
  put_u16(out + 4, seq);
  put_u16(out + 6, static_cast<uint16_t>(size));
  if (size > 0) memcpy(out + kHeaderBytes, payload, size);
  put_u32(out + kHeaderBytes + size, crc32_update(0, out + 2, kHeaderBytes - 2 + size));
  return kHeaderBytes + size + kCrcBytes;
}

Decoder::Event Decoder::fail(ErrorCode code) {
  error_ = code;
  state_ = State::kHunt0;
  return Event::kError;
}

Decoder::Event Decoder::feed(uint8_t byte) {
  switch (state_) {
    case State::kHunt0:
      if (byte == kSync0) state_ = State::kHunt1;
      return Event::kNone;
    case State::kHunt1:
      // A5 A5 5A still syncs: the second A5 may start the real frame.
      state_ = byte == kSync1 ? State::kHeader : byte == kSync0 ? State::kHunt1 : State::kHunt0;
      got_ = 0;
      frame_.seq = 0;
      return Event::kNone;
    case State::kHeader:
      header_[got_++] = byte;
      if (got_ < sizeof header_) return Event::kNone;
      frame_.version = header_[0];
      frame_.type = header_[1];
      frame_.seq = static_cast<uint16_t>(header_[2] | (header_[3] << 8));
      frame_.length = static_cast<uint16_t>(header_[4] | (header_[5] << 8));
      if (frame_.length > kMaxPayload) return fail(ErrorCode::kTooLong);
      got_ = 0;
      state_ = frame_.length == 0 ? State::kCrc : State::kPayload;
      return Event::kNone;
    case State::kPayload:
      frame_.payload[got_++] = byte;
      if (got_ == frame_.length) {
        got_ = 0;
        state_ = State::kCrc;
      }
      return Event::kNone;
    case State::kCrc: {
      crc_bytes_[got_++] = byte;
      if (got_ < kCrcBytes) return Event::kNone;
      state_ = State::kHunt0;
      const uint32_t want = static_cast<uint32_t>(crc_bytes_[0]) | (static_cast<uint32_t>(crc_bytes_[1]) << 8) |
                            (static_cast<uint32_t>(crc_bytes_[2]) << 16) | (static_cast<uint32_t>(crc_bytes_[3]) << 24);
      uint32_t crc = crc32_update(0, header_, sizeof header_);
      crc = crc32_update(crc, frame_.payload, frame_.length);
      if (crc != want) return fail(ErrorCode::kBadCrc);
      // Checked after the CRC: a corrupted version byte is a CRC error.
      if (frame_.version != kVersion) return fail(ErrorCode::kBadVersion);
      return Event::kFrame;
    }
  }
  return Event::kNone;
}

}  // namespace kiln::protocol
