// The boot decision. In direct mode, pair slots are booted in place (MCUboot's direct-xip /
// ram-load style, no copying), so an interrupted update never touches the
// running pair: the newest pair that verifies wins; a pair on trial gets
// cfg.max_attempts boots to be confirmed by its health check, then it is
// rejected and the previous confirmed pair runs again.
#pragma once
#include <stdint.h>

#include "kiln/boot/pair.h"
#include "kiln/boot/trailer.h"

namespace kiln::boot {

enum class BootMode : uint8_t { kConfirmed, kTrial };

struct BootDecision {
  uint32_t slot;
  BootMode mode;
  uint32_t security_counter;  // device counter after this decision
  PairInfo pair;
};

// Picks, verifies and (for a trial) counts the boot of one pair; fails only
// when no pair slot holds a verified pair. Follows cfg.layout->mode: in
// kSwap layouts it first finishes an interrupted swap, swaps a staged pair
// into slot A, or swaps back an upgrade whose trial ran out (swap_boot.cpp).
Status boot_select(const BootConfig& cfg, BootDecision* out, Diag* diag);
Status boot_select_swap(const BootConfig& cfg, BootDecision* out, Diag* diag);
// The running pair passed its health check: mark it confirmed and raise the
// security counter to its manifest's.
Status boot_confirm(const BootConfig& cfg, uint32_t slot, Diag* diag);

}  // namespace kiln::boot
