// Flash abstraction: erase-block and write granularity, erased value. The
// boot and update code only ever program erased, write-aligned units and
// erase whole blocks, which is what NOR flash on microcontrollers allows.
#pragma once
#include <stdint.h>

#include "kiln/common/status.h"

namespace kiln::boot {

struct FlashGeometry {
  uint32_t size;        // bytes
  uint32_t erase_size;  // erase-block size, a power of two
  uint32_t write_size;  // program granularity (1..32), a power of two
  uint8_t erased_value;
};

class Flash {
 public:
  explicit Flash(const FlashGeometry& g) : geometry_(g) {}
  const FlashGeometry& geometry() const { return geometry_; }
  // Offsets are absolute; program needs write-aligned offset and length,
  // erase needs block-aligned ones. Implementations check both.
  virtual Status read(uint32_t offset, uint8_t* dst, uint32_t len, Diag* diag);
  virtual Status program(uint32_t offset, const uint8_t* src, uint32_t len, Diag* diag);
  virtual Status erase(uint32_t offset, uint32_t len, Diag* diag);

 protected:
  ~Flash() = default;
  // Shared argument checks for implementations.
  Status check_range(uint32_t offset, uint32_t len, uint32_t align, const char* op, Diag* diag) const;

 private:
  FlashGeometry geometry_;
};

// A window of a Flash: one slot or the counter area. Offsets are relative.
struct FlashArea {
  Flash* flash = nullptr;
  uint32_t offset = 0;
  uint32_t size = 0;

  Status read(uint32_t off, uint8_t* dst, uint32_t len, Diag* diag) const;
  Status program(uint32_t off, const uint8_t* src, uint32_t len, Diag* diag) const;
  Status erase(uint32_t off, uint32_t len, Diag* diag) const;
  Status erase_all(Diag* diag) const { return erase(0, size, diag); }
  uint32_t write_size() const { return flash->geometry().write_size; }
  uint8_t erased_value() const { return flash->geometry().erased_value; }
  // True when [off, off+len) reads as erased.
  Status is_erased(uint32_t off, uint32_t len, bool* erased, Diag* diag) const;
};

// Flash held in caller-provided RAM (host simulations, RAM-backed tests).
class RamFlash final : public Flash {
 public:
  RamFlash(const FlashGeometry& g, uint8_t* memory) : Flash(g), memory_(memory) {}
  Status read(uint32_t offset, uint8_t* dst, uint32_t len, Diag* diag) override;
  // Refuses to program a unit that is not erased: NOR with ECC cannot.
  Status program(uint32_t offset, const uint8_t* src, uint32_t len, Diag* diag) override;
  Status erase(uint32_t offset, uint32_t len, Diag* diag) override;
  uint8_t* memory() { return memory_; }

 private:
  uint8_t* memory_;
};

}  // namespace kiln::boot
