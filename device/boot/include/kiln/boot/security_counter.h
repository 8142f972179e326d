// Monotonic security counter for anti-rollback. Append-only entries of
// {value, ~value} in their own write unit; the counter is the largest intact
// entry, so a torn append leaves the previous value in force.
#pragma once
#include <stdint.h>

#include "kiln/boot/flash.h"

namespace kiln::boot {

Status read_security_counter(const FlashArea& area, uint32_t* value, Diag* diag);
// Raises the counter to `value` (no-op if already there or above).
Status raise_security_counter(const FlashArea& area, uint32_t value, Diag* diag);

}  // namespace kiln::boot
