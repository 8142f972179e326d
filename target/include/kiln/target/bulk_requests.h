// Protocol revision 2 (docs/target-protocol.md): requests that read bulk data
// (a model, a batch of inputs) from a flash window on the target instead of
// the serial line. Shared by the firmware agent and the host client; device
// code: C headers only. Frames stay version 1: revision 2 is announced in
// Hello's fourth byte and by the kCapBulkFlash capability bit.
#pragma once
#include <stdint.h>

namespace kiln::target::bulk {

constexpr uint8_t kRevision = 2;
constexpr uint8_t kCapBulkFlash = 8;  // Hello capability: the requests below work

// u32 address, u32 bytes, u32 CRC-32 -> the LoadEnd summary. The model runs in
// place from that flash (zero-copy); the range must lie in the bulk window.
constexpr uint8_t kLoadFromFlash = 0x09;
// u32 address, u32 sample stride, u32 count, u8 flags -> u32 done, u64 instret
// and u64 cycles of the last sample, then (kReturnOutputs) each sample's
// outputs, concatenated in output order. Sample s's inputs are the model's
// inputs concatenated at address + s * stride. Streaming state is reset
// before every sample, so each sample is an independent inference.
constexpr uint8_t kInvokeBatch = 0x0A;
constexpr uint8_t kReturnOutputs = 1;
constexpr uint32_t kBatchReplyHeader = 4 + 8 + 8;
// no payload -> u32 base, u32 size of the bulk window (0, 0 when the board has none).
constexpr uint8_t kBulkWindow = 0x0B;

}  // namespace kiln::target::bulk
