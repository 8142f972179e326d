// Slot layout: two pair slots (A = 0, B = 1), each with a firmware, a model
// and a manifest area, plus the security-counter area. A pair slot is the
// unit of update: the manifest binds its firmware and model by hash.
#pragma once
#include <stdint.h>

#include "kiln/boot/flash.h"

namespace kiln::boot {

enum class Part : uint8_t { kFirmware = 0, kModel = 1, kManifest = 2 };
constexpr uint32_t kPartCount = 3;
constexpr uint32_t kSlotCount = 2;

struct SlotLayout {
  FlashArea parts[kSlotCount][kPartCount];
  FlashArea counter;
  const FlashArea& area(uint32_t slot, Part p) const { return parts[slot][static_cast<uint32_t>(p)]; }
};

struct SlotSizes {
  uint32_t firmware;
  uint32_t model;
  uint32_t manifest;
  uint32_t counter;
};

// Places A{fw, model, manifest}, B{...}, counter contiguously from `base`,
// each rounded up to the erase size; fails if the flash is too small.
Status make_layout(Flash* flash, uint32_t base, const SlotSizes& sizes, SlotLayout* out, Diag* diag);

}  // namespace kiln::boot
