#include "kiln/board/board_cmake.h"

#include <cstdio>

namespace kiln::board {

namespace {
std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}
std::string line(const std::string& var, const std::string& value) {
  return "set(KILN_BOARD_" + var + " \"" + value + "\")\n";
}
}  // namespace

std::string board_cmake(const Board& b) {
  std::string s = "# Generated from " + b.source + " by kiln-board-gen; do not edit.\n";
  s += line("NAME", b.name);
  s += line("XLEN", std::to_string(b.isa.xlen));
  s += line("MARCH", b.target.march);
  s += line("MULTILIB_MARCH", b.target.multilib_march);
  s += line("MABI", b.target.mabi);
  std::string un;
  for (const std::string& e : b.target.untargetable) un += (un.empty() ? "" : ";") + e;
  s += line("UNTARGETABLE", un);
  s += line("CLOCK_HZ", std::to_string(b.clock_hz));
  s += line("FLASH_ORIGIN", hex(b.flash.base));
  s += line("FLASH_SIZE", hex(b.flash.size));
  s += line("RAM_ORIGIN", hex(b.ram.base));
  s += line("RAM_SIZE", hex(b.ram.size));
  s += line("STACK_SIZE", hex(b.stack_bytes));
  s += line("MODEL_SLOT_SIZE", hex(b.model_slot_bytes));
  s += line("CONSOLE_BASE", hex(b.console_base));
  s += line("QEMU_SYSTEM", b.qemu_system);
  s += line("QEMU_RAM_BYTES", std::to_string(b.emulated() ? b.qemu_ram_bytes() : 0));
  return s;
}

}  // namespace kiln::board
