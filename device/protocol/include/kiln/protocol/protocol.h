// The kiln target protocol (docs/target-protocol.md): framed, CRC-checked,
// versioned messages between a host and the firmware agent over a serial
// line. Device code: no heap, C headers only; used by the agent and the host.
//
// Frame: A5 5A | version | type | seq (u16 LE) | length (u16 LE) | payload | CRC-32 (u32 LE)
// The CRC (IEEE 802.3, as zlib's crc32) covers version .. payload.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kiln::protocol {

constexpr uint8_t kSync0 = 0xA5;
constexpr uint8_t kSync1 = 0x5A;
constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderBytes = 8;
constexpr size_t kCrcBytes = 4;
constexpr size_t kMaxPayload = 1024;
constexpr size_t kMaxFrame = kHeaderBytes + kMaxPayload + kCrcBytes;

// Requests; a reply has the request's type | kReplyBit and the same seq.
enum class Type : uint8_t {
  kHello = 0x01,       // -> version, capabilities
  kLoadBegin = 0x02,   // u32 model bytes
  kLoadChunk = 0x03,   // u32 offset, bytes
  kLoadEnd = 0x04,     // u32 CRC-32 of the whole model -> model summary
  kSetInput = 0x05,    // u8 input, u32 offset, bytes
  kInvoke = 0x06,      // -> u64 instret, u64 cycles
  kReadOutput = 0x07,  // u8 output, u32 offset, u16 length -> bytes
  kReadStats = 0x08,   // u32 first op -> statistics, per-op instret from that op
  kError = 0x7F,       // reply only: u8 ErrorCode, u8 Status, message text
};
constexpr uint8_t kReplyBit = 0x80;

enum class ErrorCode : uint8_t {
  kBadCrc = 1,
  kBadVersion = 2,
  kTooLong = 3,
  kUnknownType = 4,
  kBadPayload = 5,     // wrong length or out-of-range field
  kNoModel = 6,        // needs a loaded model
  kModelTooLarge = 7,  // bigger than the board's model slot
  kModelRejected = 8,  // reader or interpreter refused it (message says why)
  kInvokeFailed = 9,
};

// CRC-32 (IEEE), incremental: crc32_update(0, ...) starts a new one.
uint32_t crc32_update(uint32_t crc, const uint8_t* data, size_t size);

// Little-endian helpers; readers check bounds and return false when short.
void put_u16(uint8_t* p, uint16_t v);
void put_u32(uint8_t* p, uint32_t v);
void put_u64(uint8_t* p, uint64_t v);
struct Reader {
  const uint8_t* data;
  size_t size;
  size_t pos = 0;
  bool u8(uint8_t* v);
  bool u16(uint16_t* v);
  bool u32(uint32_t* v);
  bool u64(uint64_t* v);
  size_t remaining() const { return size - pos; }
  const uint8_t* here() const { return data + pos; }
};

struct Frame {
  uint8_t version = kVersion;
  uint8_t type = 0;
  uint16_t seq = 0;
  uint16_t length = 0;
  uint8_t payload[kMaxPayload];
};

// Writes a complete frame into out (capacity >= kHeaderBytes + size + kCrcBytes);
// returns its size, 0 if the payload is too long or out too small.
size_t encode_frame(uint8_t type, uint16_t seq, const uint8_t* payload, size_t size, uint8_t* out,
                    size_t capacity);

// Byte-at-a-time frame parser. Never blocks, never reads past its buffer;
// after any error it hunts for the next sync pair.
class Decoder {
 public:
  enum class Event : uint8_t { kNone, kFrame, kError };
  Event feed(uint8_t byte);
  const Frame& frame() const { return frame_; }
  // After kError: what was wrong, and the seq when the header got that far.
  ErrorCode error() const { return error_; }
  uint16_t error_seq() const { return frame_.seq; }
  void reset() { state_ = State::kHunt0; }

 private:
  enum class State : uint8_t { kHunt0, kHunt1, kHeader, kPayload, kCrc };
  Event fail(ErrorCode code);
  State state_ = State::kHunt0;
  uint8_t header_[kHeaderBytes - 2] = {};
  uint8_t crc_bytes_[kCrcBytes] = {};
  size_t got_ = 0;
  ErrorCode error_ = ErrorCode::kBadCrc;
  Frame frame_;
};

}  // namespace kiln::protocol
