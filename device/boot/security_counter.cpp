#include "kiln/boot/security_counter.h"

#include <string.h>

#include "kiln/boot/bytes.h"

namespace kiln::boot {

namespace {

uint32_t entry_size(const FlashArea& a) { return a.write_size() > 8 ? a.write_size() : 8; }

}  // namespace

Status read_security_counter(const FlashArea& a, uint32_t* value, Diag* diag) {
  *value = 0;
  const uint32_t step = entry_size(a);
  for (uint32_t off = 0; off + step <= a.size; off += step) {
    uint8_t e[8];
    KILN_TRY(a.read(off, e, 8, diag));
    const uint32_t v = load_le32(e), check = load_le32(e + 4);
    if ((v ^ check) == 0xffffffffu && v > *value) *value = v;
  }
  return Status::kOk;
}

Status raise_security_counter(const FlashArea& a, uint32_t value, Diag* diag) {
  uint32_t current = 0;
  KILN_TRY(read_security_counter(a, &current, diag));
  if (value <= current) return Status::kOk;
  const uint32_t step = entry_size(a);
  // Append after the last used entry (torn ones included): entries only grow.
  uint32_t next = 0;
  for (uint32_t off = 0; off + step <= a.size; off += step) {
    bool erased = false;
    KILN_TRY(a.is_erased(off, step, &erased, diag));
    if (!erased) next = off + step;
  }
  if (next + step > a.size) {
    return diag->fail(Status::kOutOfRange, "security counter: area full (%lu entries)",
                      static_cast<unsigned long>(a.size / step));
  }
  uint8_t e[32];
  memset(e, a.erased_value(), sizeof(e));
  store_le32(e, value);
  store_le32(e + 4, ~value);
  return a.program(next, e, step, diag);
}

}  // namespace kiln::boot
