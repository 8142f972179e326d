// Slot layout: two pair slots (A = 0, B = 1), each with a firmware, a model
// and a manifest area, plus the security-counter area and, for swap upgrades,
// a scratch area and the swap-status log. A pair slot is the unit of update:
// the manifest binds its firmware and model by hash.
//
// The layout comes from the board's device tree (fixed-partitions, read on
// the host by tools/lib/board/partitions and emitted as a PartitionTable);
// make_layout checks it before anything is read or written.
#pragma once
#include <stdint.h>

#include "kiln/boot/flash.h"

namespace kiln::boot {

enum class Part : uint8_t { kFirmware = 0, kModel = 1, kManifest = 2 };
constexpr uint32_t kPartCount = 3;
constexpr uint32_t kSlotCount = 2;

// How an update reaches the CPU:
// kDirect  both pair slots are bootable in place (direct-xip / ram-load):
//          the newest verified pair runs where it was staged.
// kSwap    only slot A (primary) is executed: the boot swaps the staged pair
//          from B into A through the scratch area (MCUboot's swap-scratch),
//          and swaps back when the new pair is not confirmed.
enum class UpgradeMode : uint8_t { kDirect = 0, kSwap = 1 };
const char* upgrade_mode_name(UpgradeMode mode);

struct SlotLayout {
  FlashArea parts[kSlotCount][kPartCount];
  FlashArea counter;
  FlashArea scratch;      // kSwap only
  FlashArea swap_status;  // kSwap only: two halves, one swap log each
  UpgradeMode mode = UpgradeMode::kDirect;
  const FlashArea& area(uint32_t slot, Part p) const { return parts[slot][static_cast<uint32_t>(p)]; }
};

// One partition: offset from the start of the flash device, size in bytes.
struct Partition {
  uint32_t offset;
  uint32_t size;
};

// Every partition kiln needs, as a board describes them.
struct PartitionTable {
  Partition firmware[kSlotCount];
  Partition model[kSlotCount];
  Partition manifest[kSlotCount];
  Partition counter;
  Partition scratch;      // size 0 unless mode is kSwap
  Partition swap_status;  // size 0 unless mode is kSwap
  UpgradeMode mode;
};

// Checks `table` against the flash and fills `out`: every partition inside
// the flash, erase-block aligned, no two overlapping, slot A and B of each
// part the same size, manifest areas big enough for the trailer, and for
// kSwap a scratch area and a status log big enough for the swap.
Status make_layout(Flash* flash, const PartitionTable& table, SlotLayout* out, Diag* diag);

struct SlotSizes {
  uint32_t firmware;
  uint32_t model;
  uint32_t manifest;
  uint32_t counter;
};

// A contiguous table from `base`: A{fw, model, manifest}, B{...}, counter,
// each rounded up to the erase size (tests and host-side checks).
PartitionTable contiguous_partitions(const FlashGeometry& g, uint32_t base, const SlotSizes& sizes);
// contiguous_partitions + make_layout, direct mode.
Status make_layout(Flash* flash, uint32_t base, const SlotSizes& sizes, SlotLayout* out, Diag* diag);

}  // namespace kiln::boot
