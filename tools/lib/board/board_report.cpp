#include "kiln/board/board_report.h"

#include <cstdio>

namespace kiln::board {

namespace {
std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}
std::string bytes(uint64_t v) {
  char buf[48];
  if (v >= (1ull << 30) && v % (1ull << 30) == 0) {
    std::snprintf(buf, sizeof buf, "%llu GB", static_cast<unsigned long long>(v >> 30));
  } else if (v >= (1u << 20) && v % (1u << 20) == 0) {
    std::snprintf(buf, sizeof buf, "%llu MB", static_cast<unsigned long long>(v >> 20));
  } else if (v >= 1024 && v % 1024 == 0) {
    std::snprintf(buf, sizeof buf, "%llu KB", static_cast<unsigned long long>(v >> 10));
  } else {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(v));
  }
  return buf;
}
nlohmann::json region_json(const MemoryRegion& r) {
  return {{"node", r.node}, {"kind", r.kind}, {"base", r.base}, {"size", r.size}};
}
}  // namespace

nlohmann::json board_json(const Board& b) {
  nlohmann::json mem = nlohmann::json::array();
  for (const MemoryRegion& r : b.memories) mem.push_back(region_json(r));
  nlohmann::json j = {
      {"name", b.name},
      {"source", b.source},
      {"model", b.model},
      {"compatible", b.compatible},
      {"cpus", b.cpu_count},
      {"clock_hz", b.clock_hz},
      {"timebase_hz", b.timebase_hz},
      {"isa", b.isa.to_string()},
      {"xlen", b.isa.xlen},
      {"march", b.target.march},
      {"mabi", b.target.mabi},
      {"multilib_march", b.target.multilib_march},
      {"untargetable_extensions", b.target.untargetable},
      {"memories", mem},
      {"flash", region_json(b.flash)},
      {"ram", region_json(b.ram)},
      {"budgets", {{"flash_bytes", b.flash.size}, {"ram_bytes", b.ram.size}, {"stack_bytes", b.stack_bytes},
                   {"model_slot_bytes", b.model_slot_bytes}}},
      {"emulated", b.emulated()},
  };
  if (b.emulated()) {
    j["qemu"] = {{"system", b.qemu_system}, {"machine", b.qemu_machine}, {"ram_bytes", b.qemu_ram_bytes()},
                 {"console_base", b.console_base}};
  }
  return j;
}

std::string board_text(const Board& b) {
  std::string s = b.name + ": " + b.model + " (" + b.compatible + ")\n";
  s += "  source       " + b.source + "\n";
  s += "  cpu          " + std::to_string(b.cpu_count) + " x " + b.isa.to_string() + " @ " +
       std::to_string(b.clock_hz / 1000000) + " MHz\n";
  s += "  -march       " + b.target.march + "\n";
  s += "  -mabi        " + b.target.mabi + "\n";
  s += "  multilib     " + b.target.multilib_march + "/" + b.target.mabi + "\n";
  if (!b.target.untargetable.empty()) {
    std::string list;
    for (const std::string& e : b.target.untargetable) list += (list.empty() ? "" : ", ") + e;
    s += "  not targeted " + list + " (present on the CPU, unknown to riscv64-unknown-elf-gcc 12)\n";
  }
  for (const MemoryRegion& r : b.memories) {
    s += "  memory       " + r.kind + " " + r.node + " at " + hex(r.base) + ", " + bytes(r.size) + "\n";
  }
  s += "  flash budget " + bytes(b.flash.size) + " (" + b.flash.node + "): code + model\n";
  s += "  RAM budget   " + bytes(b.ram.size) + " (" + b.ram.node + "): data + arena + stack\n";
  s += "  stack        " + bytes(b.stack_bytes) + "\n";
  s += "  model slot   " + bytes(b.model_slot_bytes) + " (RAM the target agent loads models into)\n";
  if (b.emulated()) {
    s += "  emulator     " + b.qemu_system + " -machine " + b.qemu_machine + " -m " +
         std::to_string(b.qemu_ram_bytes() >> 20) + "M, console ns16550 at " + hex(b.console_base) + "\n";
  } else {
    s += "  emulator     none (real hardware only)\n";
  }
  return s;
}

}  // namespace kiln::board
