#include "kiln/boot/flash.h"

#include <string.h>

namespace kiln::boot {

Status Flash::read(uint32_t, uint8_t*, uint32_t, Diag* diag) {
  return diag->fail(Status::kInternal, "flash: read not implemented");
}
Status Flash::program(uint32_t, const uint8_t*, uint32_t, Diag* diag) {
  return diag->fail(Status::kInternal, "flash: program not implemented");
}
Status Flash::erase(uint32_t, uint32_t, Diag* diag) {
  return diag->fail(Status::kInternal, "flash: erase not implemented");
}

Status Flash::check_range(uint32_t offset, uint32_t len, uint32_t align, const char* op, Diag* diag) const {
  if (offset > geometry_.size || len > geometry_.size - offset) {
    return diag->fail(Status::kOutOfRange, "flash: %s of %lu bytes at 0x%lx is outside the %lu-byte device", op,
                      static_cast<unsigned long>(len), static_cast<unsigned long>(offset),
                      static_cast<unsigned long>(geometry_.size));
  }
  if (align > 1 && ((offset % align) != 0 || (len % align) != 0)) {
    return diag->fail(Status::kInvalidArgument, "flash: %s at 0x%lx (+%lu) is not %lu-byte aligned", op,
                      static_cast<unsigned long>(offset), static_cast<unsigned long>(len),
                      static_cast<unsigned long>(align));
  }
  return Status::kOk;
}

Status FlashArea::read(uint32_t off, uint8_t* dst, uint32_t len, Diag* diag) const {
  if (off > size || len > size - off) {
    return diag->fail(Status::kOutOfRange, "flash area: read of %lu bytes at %lu is past its %lu bytes",
                      static_cast<unsigned long>(len), static_cast<unsigned long>(off),
                      static_cast<unsigned long>(size));
  }
  return flash->read(offset + off, dst, len, diag);
}

Status FlashArea::program(uint32_t off, const uint8_t* src, uint32_t len, Diag* diag) const {
  if (off > size || len > size - off) {
    return diag->fail(Status::kOutOfRange, "flash area: write of %lu bytes at %lu is past its %lu bytes",
                      static_cast<unsigned long>(len), static_cast<unsigned long>(off),
                      static_cast<unsigned long>(size));
  }
  return flash->program(offset + off, src, len, diag);
}

Status FlashArea::erase(uint32_t off, uint32_t len, Diag* diag) const {
  if (off > size || len > size - off) {
    return diag->fail(Status::kOutOfRange, "flash area: erase past its end");
  }
  return flash->erase(offset + off, len, diag);
}

Status FlashArea::is_erased(uint32_t off, uint32_t len, bool* erased, Diag* diag) const {
  uint8_t buf[32];
  *erased = true;
  while (len > 0) {
    const uint32_t n = len < sizeof(buf) ? len : static_cast<uint32_t>(sizeof(buf));
    KILN_TRY(read(off, buf, n, diag));
    for (uint32_t i = 0; i < n; ++i) {
      if (buf[i] != erased_value()) *erased = false;
    }
    off += n;
    len -= n;
  }
  return Status::kOk;
}

Status RamFlash::read(uint32_t offset, uint8_t* dst, uint32_t len, Diag* diag) {
  KILN_TRY(check_range(offset, len, 1, "read", diag));
  memcpy(dst, memory_ + offset, len);
  return Status::kOk;
}

Status RamFlash::program(uint32_t offset, const uint8_t* src, uint32_t len, Diag* diag) {
  KILN_TRY(check_range(offset, len, geometry().write_size, "program", diag));
  for (uint32_t i = 0; i < len; ++i) {
    if (memory_[offset + i] != geometry().erased_value) {
      return diag->fail(Status::kInvalidArgument, "flash: program at 0x%lx over a unit that is not erased",
                        static_cast<unsigned long>(offset + i));
    }
  }
  memcpy(memory_ + offset, src, len);
  return Status::kOk;
}

Status RamFlash::erase(uint32_t offset, uint32_t len, Diag* diag) {
  KILN_TRY(check_range(offset, len, geometry().erase_size, "erase", diag));
  memset(memory_ + offset, geometry().erased_value, len);
  return Status::kOk;
}

}  // namespace kiln::boot
