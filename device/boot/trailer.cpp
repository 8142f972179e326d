#include "kiln/boot/trailer.h"

#include <string.h>

namespace kiln::boot {

namespace {

const uint8_t kTrailerMagic[16] = {0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                   0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
constexpr uint32_t kMaxUnit = 32;

uint32_t magic_region(const FlashArea& a) {
  const uint32_t u = trailer_unit(a);
  return (16 + u - 1) / u * u;
}
// Offsets from the start of the area.
uint32_t magic_offset(const FlashArea& a) { return a.size - magic_region(a); }
uint32_t image_ok_offset(const FlashArea& a) { return magic_offset(a) - trailer_unit(a); }
uint32_t rejected_offset(const FlashArea& a) { return image_ok_offset(a) - trailer_unit(a); }
uint32_t attempt_offset(const FlashArea& a, uint32_t i) { return rejected_offset(a) - (i + 1) * trailer_unit(a); }

Status unit_erased(const FlashArea& a, uint32_t off, bool* erased, Diag* diag) {
  return a.is_erased(off, trailer_unit(a), erased, diag);
}

Status program_flag(const FlashArea& a, uint32_t off, Diag* diag) {
  uint8_t unit[kMaxUnit];
  memset(unit, 0x01, sizeof(unit));
  return a.program(off, unit, trailer_unit(a), diag);
}

}  // namespace

uint32_t trailer_unit(const FlashArea& area) { return area.write_size() > 8 ? area.write_size() : 8; }

uint32_t trailer_size(const FlashArea& area) { return magic_region(area) + (2 + kMaxAttempts) * trailer_unit(area); }

Status read_trailer(const FlashArea& a, TrailerState* out, Diag* diag) {
  if (a.write_size() > kMaxUnit || a.size < trailer_size(a)) {
    return diag->fail(Status::kInvalidArgument, "trailer: area of %lu bytes (write size %lu) cannot hold it",
                      static_cast<unsigned long>(a.size), static_cast<unsigned long>(a.write_size()));
  }
  uint8_t magic[16];
  KILN_TRY(a.read(a.size - 16, magic, 16, diag));
  out->magic = memcmp(magic, kTrailerMagic, 16) == 0;
  bool erased = false;
  KILN_TRY(unit_erased(a, image_ok_offset(a), &erased, diag));
  out->confirmed = !erased;
  KILN_TRY(unit_erased(a, rejected_offset(a), &erased, diag));
  out->rejected = !erased;
  out->attempts = 0;
  for (uint32_t i = 0; i < kMaxAttempts; ++i) {
    KILN_TRY(unit_erased(a, attempt_offset(a, i), &erased, diag));
    if (!erased) out->attempts = i + 1;
  }
  return Status::kOk;
}

Status write_trailer_magic(const FlashArea& a, Diag* diag) {
  uint8_t region[kMaxUnit * 2];
  const uint32_t n = magic_region(a);
  bool erased = false;
  KILN_TRY(a.is_erased(magic_offset(a), n, &erased, diag));
  if (!erased) {
    // A torn earlier attempt: only erasing the slot (restaging) can fix it.
    return diag->fail(Status::kInvalidArgument, "trailer: magic area is not erased; stage the slot again");
  }
  memset(region, a.erased_value(), n);
  memcpy(region + n - 16, kTrailerMagic, 16);
  return a.program(magic_offset(a), region, n, diag);
}

Status set_trailer_flag(const FlashArea& a, TrailerFlag flag, Diag* diag) {
  const uint32_t off = flag == TrailerFlag::kImageOk ? image_ok_offset(a) : rejected_offset(a);
  bool erased = false;
  KILN_TRY(unit_erased(a, off, &erased, diag));
  return erased ? program_flag(a, off, diag) : Status::kOk;
}

Status consume_attempt(const FlashArea& a, Diag* diag) {
  for (uint32_t i = 0; i < kMaxAttempts; ++i) {
    bool erased = false;
    KILN_TRY(unit_erased(a, attempt_offset(a, i), &erased, diag));
    // Units after a set (or torn) one count as used: attempts only grow.
    bool later_used = false;
    for (uint32_t j = i + 1; erased && j < kMaxAttempts && !later_used; ++j) {
      bool e = false;
      KILN_TRY(unit_erased(a, attempt_offset(a, j), &e, diag));
      later_used = !e;
    }
    if (erased && !later_used) return program_flag(a, attempt_offset(a, i), diag);
  }
  return diag->fail(Status::kOutOfRange, "trailer: no boot attempt left");
}

}  // namespace kiln::boot
