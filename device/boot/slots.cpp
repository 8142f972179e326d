#include "kiln/boot/slots.h"

namespace kiln::boot {

Status make_layout(Flash* flash, uint32_t base, const SlotSizes& sizes, SlotLayout* out, Diag* diag) {
  const uint32_t erase = flash->geometry().erase_size;
  uint64_t at = base;
  auto place = [&](uint32_t size, FlashArea* area) {
    const uint64_t rounded = (uint64_t{size} + erase - 1) / erase * erase;
    area->flash = flash;
    area->offset = static_cast<uint32_t>(at);
    area->size = static_cast<uint32_t>(rounded);
    at += rounded;
  };
  if (base % erase != 0) return diag->fail(Status::kInvalidArgument, "layout: base is not erase-aligned");
  const uint32_t part_sizes[kPartCount] = {sizes.firmware, sizes.model, sizes.manifest};
  for (uint32_t s = 0; s < kSlotCount; ++s) {
    for (uint32_t p = 0; p < kPartCount; ++p) place(part_sizes[p], &out->parts[s][p]);
  }
  place(sizes.counter, &out->counter);
  if (at > flash->geometry().size) {
    return diag->fail(Status::kOutOfRange, "layout: needs %lu bytes, the flash has %lu",
                      static_cast<unsigned long>(at), static_cast<unsigned long>(flash->geometry().size));
  }
  return Status::kOk;
}

}  // namespace kiln::boot
