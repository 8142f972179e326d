// The boot trailer at the end of each pair slot's manifest area. Every field
// is its own write unit, programmed once from erased and never rewritten, so
// a torn write can only turn a field from "unset" to "set":
//   ... attempts[kMaxAttempts] | rejected | image_ok | magic (16 bytes, last)
// magic    written last when staging: the pair is complete, boot may try it
// attempts one unit consumed before each trial boot
// image_ok the health check passed: the pair is confirmed
// rejected the pair failed verification or its trial ran out of attempts
#pragma once
#include <stdint.h>

#include "kiln/boot/flash.h"

namespace kiln::boot {

constexpr uint32_t kMaxAttempts = 8;  // attempt units in the trailer

struct TrailerState {
  bool magic;
  bool confirmed;
  bool rejected;
  uint32_t attempts;  // trial boots already started
};

enum class TrailerFlag : uint8_t { kImageOk, kRejected };

uint32_t trailer_unit(const FlashArea& area);  // max(write size, 8)
uint32_t trailer_size(const FlashArea& area);
Status read_trailer(const FlashArea& area, TrailerState* out, Diag* diag);
Status write_trailer_magic(const FlashArea& area, Diag* diag);
// Sets a flag unless any byte of it is already non-erased (set or torn).
Status set_trailer_flag(const FlashArea& area, TrailerFlag flag, Diag* diag);
// Consumes the first erased attempt unit; fails when none is left.
Status consume_attempt(const FlashArea& area, Diag* diag);

}  // namespace kiln::boot
