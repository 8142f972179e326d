#include "kiln/telemetry/ota_receiver.h"

#include <string.h>

#include "kiln/boot/bytes.h"
#include "kiln/telemetry/schema.h"

namespace kiln::telemetry {

void OtaReceiver::begin(uint32_t transfer, uint32_t size) {
  if (transfer == status_.transfer && size == status_.total && status_.state != OtaState::kIdle) {
    changed_ = true;  // a repeated request (sender restarted, message redelivered): say where we are
    return;
  }
  status_ = OtaStatus{};
  status_.state = OtaState::kReceiving;
  status_.transfer = transfer;
  status_.total = size;
  header_fill_ = 0;
  error_.clear();
  changed_ = true;
}

void OtaReceiver::fail(Diag* diag) {
  status_.state = OtaState::kRejected;
  (void)error_.fail(diag->status(), "%s", diag->message());
  changed_ = true;
}

Status OtaReceiver::on_chunk(const uint8_t* payload, uint32_t len, Diag* diag) {
  if (len < kChunkHeader || len > kChunkHeader + kMaxChunkData)
    return diag->fail(Status::kInvalidArgument, "chunk: %lu bytes, expected %lu..%lu", static_cast<unsigned long>(len),
                      static_cast<unsigned long>(kChunkHeader), static_cast<unsigned long>(kChunkHeader + kMaxChunkData));
  const uint32_t magic = boot::load_le32(payload), transfer = boot::load_le32(payload + 4);
  const uint32_t offset = boot::load_le32(payload + 8), total = boot::load_le32(payload + 12);
  if (magic != kChunkMagic) return diag->fail(Status::kInvalidArgument, "chunk: bad magic 0x%08lx",
                                              static_cast<unsigned long>(magic));
  const uint32_t n = len - kChunkHeader;
  const uint8_t* data = payload + kChunkHeader;
  if (total != status_.total || offset > total || n > total - offset)
    return diag->fail(Status::kInvalidArgument, "chunk: offset %lu + %lu outside the %lu-byte bundle",
                      static_cast<unsigned long>(offset), static_cast<unsigned long>(n), static_cast<unsigned long>(total));
  if (status_.state != OtaState::kReceiving || transfer != status_.transfer || offset != status_.offset) {
    changed_ = true;  // stale or out of order: republish where we are
    return Status::kOk;
  }
  uint32_t used = 0;
  if (header_fill_ < ota::kBundleHeaderSize) {  // the first 32 bytes start the agent
    const uint32_t take = n < ota::kBundleHeaderSize - header_fill_ ? n : ota::kBundleHeaderSize - header_fill_;
    memcpy(header_ + header_fill_, data, take);
    header_fill_ += take;
    used = take;
    status_.offset += take;
    if (header_fill_ == ota::kBundleHeaderSize && agent_.start(header_, diag) != Status::kOk) {
      fail(diag);
      return Status::kOk;  // a bad bundle is the OTA layer's verdict, not a malformed message
    }
  }
  if (used < n) {
    if (agent_.write(status_.offset, data + used, n - used, diag) != Status::kOk) {
      fail(diag);
      return Status::kOk;
    }
    status_.offset += n - used;
  }
  if (status_.offset == status_.total) {
    if (agent_.finish(diag) != Status::kOk) {
      fail(diag);
      return Status::kOk;
    }
    status_.state = OtaState::kStaged;
  }
  changed_ = true;
  return Status::kOk;
}

}  // namespace kiln::telemetry
