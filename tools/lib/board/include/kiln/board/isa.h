// RISC-V ISA description of a board's CPU, from device tree, and what the
// toolchain can make of it (-march, -mabi, extensions it cannot target).
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace kiln::board {

// Every problem with a board description: a message a user can act on.
class BoardError : public std::runtime_error {
 public:
  explicit BoardError(const std::string& message) : std::runtime_error(message) {}
};

struct Isa {
  int xlen = 0;                          // 32 or 64
  char base = 'i';                       // 'i' or 'e'
  std::vector<std::string> extensions;   // canonical order, lowercase, "g" expanded, no "i"
  bool has(const std::string& ext) const;
  std::string to_string() const;          // e.g. rv32imac_zicsr_zifencei
};

// Current binding: riscv,isa-base ("rv32i") + riscv,isa-extensions ("m", "zba", ...).
Isa parse_isa(const std::string& base, const std::vector<std::string>& extensions);
// Older binding: one string, "rv64imafdc_zba_zbb" or "rv64gc"; versions ("2p0") are ignored.
Isa parse_isa_string(const std::string& isa);

// What GCC 12 (Debian's riscv64-unknown-elf-gcc) is told for this ISA.
struct Target {
  std::string march;                        // extensions GCC can target, canonical order
  std::string mabi;                         // ilp32, ilp32f, ilp32d, ilp32e, lp64, lp64f, lp64d
  std::string multilib_march;               // single letters only: what the multilib matcher knows
  std::vector<std::string> untargetable;    // present on the CPU, unknown to the toolchain
};
Target derive_target(const Isa& isa);

}  // namespace kiln::board
